import { test, expect, fillIn, option, ready, type FieldValue } from './fixtures';
import { PASSWORD, linkIn, signIn, signedIn, unique } from './accounts';
import type { Page } from '@playwright/test';

const addressForm = (page: Page) => page.locator('form[action="/sf/account/save-address"]');

/** Fills in the address form's fields named (by label) and saves it. */
async function saveAddress(page: Page, fields: Record<string, FieldValue>) {
  await fillIn(addressForm(page), fields);
  await page.getByRole('button', { name: 'Save address' }).click();
}

test('address book: add with mistakes, fix, add another, make default, edit, delete', async ({ page }) => {
  await signedIn(page, 'dee');
  await page.getByRole('link', { name: 'Manage addresses' }).click();
  await expect(page).toHaveURL(/\/account\/addresses$/);
  await expect(page.getByTestId('no-addresses')).toBeVisible();
  await ready(page);

  await page.getByRole('link', { name: 'Add an address' }).click();
  await ready(page);
  const form = addressForm(page);
  await saveAddress(page, {
    'Full name': 'Dee Lee',
    'Street address': '12 Rose Lane',
    'Postal code': '12345',
    Country: option('GB'),
    'Phone for the courier (optional)': 'call me',
  });

  // Every mistake named by its field; everything typed still there.
  await expect(page.getByTestId('error-city')).toContainText('Enter the town or city');
  await expect(page.getByTestId('error-postal_code')).toContainText('SW1A 1AA');
  await expect(page.getByTestId('error-phone')).toContainText('7 to 15 digits');
  await expect(form.getByLabel('Full name')).toHaveValue('Dee Lee');
  await expect(form.getByLabel('Street address')).toHaveValue('12 Rose Lane');
  await expect(form.getByLabel('Country')).toHaveValue('GB');
  await expect(form.getByLabel('Town or city')).toHaveAttribute('aria-invalid', 'true');
  await ready(page);

  await saveAddress(page, { 'Town or city': 'Leeds', 'Postal code': 'ls1 4ap', 'Phone for the courier (optional)': '' });
  await expect(page.getByTestId('notice')).toHaveText('Address saved.');
  const cards = page.getByTestId('address');
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toContainText('LS1 4AP');
  await expect(cards.first()).toContainText('United Kingdom');
  await expect(cards.first().getByTestId('default-address')).toBeVisible();
  await ready(page);

  await page.getByRole('link', { name: 'Add an address' }).click();
  await ready(page);
  await saveAddress(page, {
    'Full name': 'Dee at work',
    'Street address': '1 Market Street',
    'Town or city': 'San Francisco',
    'State, province or county (if used)': 'CA',
    'Postal code': '94103',
    Country: option('US'),
  });
  await expect(cards).toHaveCount(2);
  await expect(page.getByTestId('default-address')).toHaveCount(1);
  await expect(cards.nth(0).getByTestId('default-address')).toBeVisible();
  await ready(page);

  await page.getByRole('button', { name: 'Make Dee at work, 1 Market Street the default' }).click();
  await expect(page.getByTestId('notice')).toContainText('Default shipping address changed');
  await expect(cards.nth(1).getByTestId('default-address')).toBeVisible();
  await expect(page.getByTestId('default-address')).toHaveCount(1);
  await ready(page);

  await page.getByRole('link', { name: 'Edit Dee Lee, 12 Rose Lane' }).click();
  await ready(page);
  await expect(form.getByLabel('Full name')).toHaveValue('Dee Lee');
  await expect(form.getByLabel('Country')).toHaveValue('GB');
  await saveAddress(page, { 'Full name': 'Dee Lee-Smith' });
  await expect(cards.nth(0)).toContainText('Dee Lee-Smith');
  await ready(page);

  // Deleting the default hands it to the address that is left.
  await page.getByRole('button', { name: 'Delete Dee at work, 1 Market Street' }).click();
  await expect(page.getByTestId('notice')).toHaveText('Address deleted.');
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toContainText('Dee Lee-Smith');
  await expect(cards.first().getByTestId('default-address')).toBeVisible();

  await page.goto('/account');
  await expect(page.getByRole('region', { name: 'Addresses' })).toContainText('12 Rose Lane');
});

test("another person's address cannot be opened", async ({ page, browser }) => {
  await signedIn(page, 'eve');
  await page.goto('/account/addresses/new');
  await ready(page);
  await saveAddress(page, { 'Full name': 'Eve', 'Street address': '3 Elm Road', 'Town or city': 'Paris', 'Postal code': '75008', Country: option('FR') });
  const edit = page.getByRole('link', { name: 'Edit Eve, 3 Elm Road' });
  const href = await edit.getAttribute('href');
  // Left idle while the stranger works, a no-JS page would warn that its
  // preloaded wasm went unused.
  await page.goto('about:blank');

  const { baseURL, javaScriptEnabled } = test.info().project.use;
  const other = await browser.newContext({ baseURL, javaScriptEnabled });
  const stranger = await other.newPage();
  await signedIn(stranger, 'fay');
  await stranger.goto(href!);
  await expect(stranger.getByTestId('address-missing')).toBeVisible();
  await expect(stranger.locator('text=3 Elm Road')).toHaveCount(0);
  await other.close();
});

test('profile: name and phone, then a new email that works only once confirmed', async ({ page }) => {
  const email = await signedIn(page, 'gus');
  const profile = page.getByRole('region', { name: 'Your details' });
  await fillIn(profile, { 'Your name': 'Gus Grant', 'Phone (optional)': '12' });
  await page.getByRole('button', { name: 'Save details' }).click();
  await expect(page.getByTestId('error-phone')).toContainText('7 to 15 digits');
  await expect(profile.getByLabel('Your name')).toHaveValue('Gus Grant');
  await ready(page);
  await profile.getByLabel('Phone (optional)').fill('+44 20 7946 0958');
  await page.getByRole('button', { name: 'Save details' }).click();
  await expect(page.getByTestId('notice')).toHaveText('Your details are saved.');
  await expect(page.locator('[data-slot="account"]')).toContainText('Gus');
  await expect(profile.getByLabel('Phone (optional)')).toHaveValue('+44 20 7946 0958');
  await ready(page);

  const emailForm = page.getByRole('region', { name: 'Email' });
  const newEmail = unique('gus-new');
  await fillIn(emailForm, { 'New email': newEmail, 'Current password': 'not my password' });
  await page.getByRole('button', { name: 'Send a confirmation link' }).click();
  await expect(page.getByTestId('error-email_password')).toContainText("isn't your current password");
  await expect(emailForm.getByLabel('New email')).toHaveValue(newEmail);
  await ready(page);
  await emailForm.getByLabel('Current password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Send a confirmation link' }).click();
  await expect(page.getByTestId('notice')).toContainText(`sent a link to ${newEmail}`);
  await expect(page.getByTestId('account-email')).toHaveText(email);
  await expect(page.getByTestId('pending-email')).toContainText(newEmail);

  await page.goto(await linkIn(newEmail, /Confirm your new email/));
  await ready(page);
  await page.getByRole('button', { name: 'Use my new email' }).click();
  await expect(page.getByTestId('notice')).toContainText('new email address is confirmed');
  await expect(page.getByTestId('account-email')).toHaveText(newEmail);
  await expect(page.getByTestId('verified')).toBeVisible();
  await expect(page.getByTestId('pending-email')).toHaveCount(0);

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page.getByTestId('notice')).toContainText('signed out');
  await signIn(page, email, PASSWORD);
  await expect(page.getByTestId('form-error')).toContainText("don't match");
  await signIn(page, newEmail, PASSWORD);
  await expect(page.getByTestId('account-email')).toHaveText(newEmail);
});
