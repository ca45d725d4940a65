import { test, expect, ready, sendForm } from './fixtures';
import { PASSWORD, linkIn, signIn, signUp, signedIn, unique } from './accounts';

test('sign up, confirm the address from the email, sign out and back in', async ({ page }) => {
  const email = unique('ann');
  await signUp(page, email);

  await page.goto(await linkIn(email, /Confirm your email/));
  await ready(page);
  await page.getByRole('button', { name: 'Confirm my email' }).click();
  await expect(page.getByTestId('notice')).toContainText('confirmed');

  await signIn(page, email, PASSWORD);
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId('account-email')).toHaveText(email);
  await expect(page.getByTestId('verified')).toBeVisible();
  await expect(page.locator('[data-slot="account"]')).toContainText('Ann');
  await ready(page);

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page.getByTestId('notice')).toContainText("signed out");
  await expect(page.locator('[data-slot="account"]')).toHaveText('Sign in');
  // The account page now sends a visitor to sign in.
  await page.goto('/account');
  await expect(page).toHaveURL(/\/account\/sign-in\?next=/);

  await signIn(page, email, PASSWORD);
  await expect(page.getByTestId('account-email')).toHaveText(email);
});

test('forgot password: the emailed link sets a new one and the old one stops working', async ({ page }) => {
  const email = unique('bo');
  await signUp(page, email);
  await sendForm(page, '/account/forgot', { Email: email }, 'Send me a link');
  await expect(page.getByTestId('notice')).toContainText('If an account uses that address');

  await page.goto(await linkIn(email, /Reset your/));
  await ready(page);
  await page.getByLabel('New password').fill('amber harbour 77');
  await page.getByRole('button', { name: 'Save new password' }).click();
  await expect(page.getByTestId('notice')).toContainText('Your password is changed');

  await signIn(page, email, PASSWORD);
  await expect(page.getByTestId('form-error')).toContainText("don't match");
  // What was typed is still there (except the password).
  await expect(page.getByLabel('Email')).toHaveValue(email);
  await expect(page.getByLabel('Password')).toHaveValue('');

  await signIn(page, email, 'amber harbour 77');
  await expect(page.getByTestId('account-email')).toHaveText(email);
});

test('a form with mistakes keeps what was typed and says what to fix', async ({ page }) => {
  await sendForm(page, '/account/sign-up', { 'Your name': 'Ann', Email: 'ann@example', Password: 'password' }, 'Create account');
  await expect(page.getByTestId('error-email')).toContainText('Enter an email address');
  await expect(page.getByTestId('error-password')).toContainText('most common');
  await expect(page.getByLabel('Email')).toHaveValue('ann@example');
  await expect(page.getByLabel('Your name')).toHaveValue('Ann');
  await expect(page.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
});

test('a customer opening the back office gets 403', async ({ page }) => {
  await signedIn(page, 'cy');
  const response = await page.goto('/admin');
  expect(response?.status()).toBe(403);
  await expect(page.getByRole('heading', { name: 'Staff only' })).toBeVisible();
  await ready(page);
});
