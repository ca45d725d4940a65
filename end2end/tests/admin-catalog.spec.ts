import { test, expect, ready } from './fixtures';
import { PASSWORD, makeStaff, signIn, signUp, unique } from './accounts';

// A product no other spec counts on.
const HAT = 'men-beanie-hat';

test('staff take stock in and out with a reason and reprice; the shop shows it; customers are refused', async ({ page }) => {
  const customer = unique('cy');
  await signUp(page, customer);
  await signIn(page, customer, PASSWORD);
  const refused = await page.goto(`/admin/products/${HAT}`);
  expect(refused?.status()).toBe(403);
  await page.context().clearCookies();

  const staff = unique('stan');
  await signUp(page, staff);
  makeStaff(staff);
  await signIn(page, staff, PASSWORD);
  await page.goto('/admin');
  await ready(page);
  await page.getByRole('link', { name: 'Products and stock' }).click();
  await expect(page.getByTestId('admin-products')).toContainText('Beanie hat');
  await page.getByRole('link', { name: 'Beanie hat' }).click();
  await ready(page);

  const variant = page.getByTestId('staff-variant').first();
  const stock = async () => Number((await variant.getByTestId('stock-line').textContent())!.split(' ')[0]);
  const before = await stock();
  const reason = `delivery ${Date.now()}`;
  await variant.getByLabel('Items in (+) or out (−)').fill('5');
  await variant.getByLabel('Why').fill(reason);
  await variant.getByRole('button', { name: /Change stock/ }).click();
  await expect(page.getByTestId('notice')).toContainText(`${before + 5} on hand now`);
  await expect.poll(stock).toBe(before + 5);

  // More out than there is: refused, nothing changes.
  await variant.getByLabel('Items in (+) or out (−)').fill(String(-(before + 100)));
  await variant.getByLabel('Why').fill('recount');
  await variant.getByRole('button', { name: /Change stock/ }).click();
  await expect(page.getByTestId('form-error')).toContainText('left to take out');
  await expect.poll(stock).toBe(before + 5);
  await variant.getByText('Recent stock changes').click();
  await expect(variant.getByText(reason)).toBeVisible();

  await variant.getByLabel('Price (£, VAT included)').fill('twelve');
  await variant.getByRole('button', { name: /Set price/ }).click();
  await expect(page.getByTestId('form-error')).toContainText('like 24.99');
  await variant.getByLabel('Price (£, VAT included)').fill('19.50');
  await variant.getByRole('button', { name: /Set price/ }).click();
  await expect(page.getByTestId('notice')).toContainText('£19.50');

  await page.goto(`/p/${HAT}`);
  await ready(page);
  await expect(page.getByTestId('price')).toContainText('£19.50');
});
