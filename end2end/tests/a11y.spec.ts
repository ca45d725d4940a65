import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect, ready } from './fixtures';
import { PASSWORD, makeStaff, signIn, signUp, unique } from './accounts';
import { addSize } from './shopping';

// Automated WCAG 2.1 A/AA checks (axe-core) on every kind of page, as
// rendered and hydrated. They catch missing labels, landmarks, names and
// contrast; keyboard use and reading order are checked by other specs.
// Runs in the `js` project only: axe runs as a script in the page.

async function expectNoViolations(page: Page, what: string) {
  await ready(page);
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(results.passes.length, 'axe ran its rules').toBeGreaterThan(10);
  const found = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  expect(found, `accessibility problems on ${what}`).toEqual([]);
}

test('shop pages pass automated accessibility checks', async ({ page }) => {
  for (const path of ['/', '/c/women', '/c/kids-dresses', '/p/women-linen-wrap-dress', '/search?q=dress', '/search?q=zzzz', '/no-such-page', '/c/women?size=14&min=cheap&sort=price-asc']) {
    await page.goto(path);
    await expectNoViolations(page, path);
  }
});

test('collection, brand-filtered and sale pages pass automated accessibility checks', async ({ page }) => {
  for (const path of ['/collections/sale', '/c/men?brand=northshore', '/p/women-linen-blend-blouse']) {
    await page.goto(path);
    await expectNoViolations(page, path);
  }
  // The size guide, opened.
  await page.getByTestId('size-chart').getByText('Size guide').click();
  await expectNoViolations(page, 'a product page with its size guide open');
});

test('account pages pass automated accessibility checks, errors shown included', async ({ page }) => {
  for (const path of ['/account/sign-in', '/account/sign-up', '/account/forgot']) {
    await page.goto(path);
    await expectNoViolations(page, path);
  }
  await page.getByLabel('Email').fill('not an email');
  await page.getByRole('button', { name: 'Send me a link' }).click();
  await expect(page.getByTestId('error-email')).toBeVisible();
  await expectNoViolations(page, 'forgot password with an error');

  const email = unique('axe');
  await signUp(page, email);
  await signIn(page, email, PASSWORD);
  await expect(page.getByTestId('account-email')).toHaveText(email);
  await expectNoViolations(page, '/account');
  await page.goto('/account/addresses');
  await expectNoViolations(page, '/account/addresses');
  await page.goto('/account/addresses/new');
  await ready(page);
  await page.getByRole('button', { name: 'Save address' }).click();
  await expect(page.getByTestId('error-city')).toBeVisible();
  await expectNoViolations(page, 'a new address with errors');
});

test('basket, checkout, order and back-office pages pass automated accessibility checks', async ({ page }) => {
  // A long walk through a dozen pages: more than 30 s on a loaded machine.
  test.slow();
  await page.goto('/basket');
  await expectNoViolations(page, 'an empty basket');
  await page.goto('/p/men-slim-fit-jeans');
  await ready(page);
  await addSize(page, 0);
  await expectNoViolations(page, 'a product page after adding');
  await page.goto('/basket');
  await expectNoViolations(page, '/basket');
  await page.goto('/checkout');
  await expectNoViolations(page, '/checkout');
  await page.getByRole('button', { name: 'Place order' }).click();
  await expect(page.getByTestId('error-name')).toBeVisible();
  await expectNoViolations(page, 'checkout with errors');
  await page.getByLabel('Your name').fill('Axe Tester');
  await page.getByLabel('Email for the order confirmation').fill(unique('axe-order'));
  await page.getByLabel('Pick up in the shop').check();
  await page.getByLabel('Cash on delivery').check();
  await page.getByRole('button', { name: 'Place order' }).click();
  await expect(page.getByTestId('order-status')).toHaveText('Confirmed', { timeout: 15_000 });
  const order = page.url();
  await expectNoViolations(page, 'an order page');

  const staff = unique('axe-staff');
  await signUp(page, staff);
  makeStaff(staff);
  await signIn(page, staff, PASSWORD);
  const id = new URL(order).pathname.split('/').pop();
  for (const path of ['/admin', '/admin/orders', `/admin/orders/${id}`, `/admin/orders/${id}/slip`, '/admin/products', '/admin/products/men-beanie-hat']) {
    await page.goto(path);
    await expectNoViolations(page, path);
  }
  await page.goto('/admin/products/new');
  await expectNoViolations(page, '/admin/products/new');
  await page.getByRole('button', { name: 'Save as draft' }).click();
  await expect(page.getByTestId('error-name')).toBeVisible();
  await expectNoViolations(page, 'a new product with errors');
  await page.goto('/admin/products/men-beanie-hat');
  await page.getByText('Details and status').click();
  await page.getByText('Add colours or sizes').click();
  await expectNoViolations(page, 'a product with its edit forms open');
});

test('back-office collection and category pages pass automated accessibility checks', async ({ page }) => {
  const staff = unique('axe-shelves');
  await signUp(page, staff);
  makeStaff(staff);
  await signIn(page, staff, PASSWORD);
  for (const path of ['/admin/collections', '/admin/collections/sale', '/admin/categories', '/admin/categories/women']) {
    await page.goto(path);
    await expectNoViolations(page, path);
  }
  await page.goto('/admin/categories');
  await page.getByTestId('new-category').getByRole('button', { name: 'Add category' }).click();
  await expect(page.getByTestId('error-name')).toBeVisible();
  await expectNoViolations(page, 'a new category with errors');
});
