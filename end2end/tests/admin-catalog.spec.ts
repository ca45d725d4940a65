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

test('staff create a product as a grid of colours and sizes, fix what was refused, publish it, and shoppers find it', async ({ page }) => {
  const staff = unique('sam');
  await signUp(page, staff);
  makeStaff(staff);
  await signIn(page, staff, PASSWORD);
  await page.goto('/admin/products');
  await ready(page);
  await page.getByRole('link', { name: 'New product' }).click();
  await ready(page);

  const tag = Math.random().toString(36).slice(2, 8);
  const name = `Seersucker shirt ${tag}`;
  const form = page.getByTestId('new-product');
  await form.getByLabel('Name', { exact: true }).fill(name);
  await form.getByLabel('Category').selectOption('men-tops');
  await form.getByLabel('Description (optional)').fill('Light and crinkled, made for hot days.\n\nRelaxed fit.');
  await form.getByLabel('Material and care (optional)').fill('100% cotton. Wash at 40°C.');
  await form.getByLabel('SKU prefix').fill(`SS-${tag}`);
  await form.getByLabel('Colours').fill('Blue, White');
  await form.getByLabel('Sizes').fill('S, M, M');
  await form.getByLabel('Price of each (£, VAT included)').fill('twelve');
  await form.getByRole('button', { name: 'Save as draft' }).click();

  // Both mistakes are named beside their fields; everything typed is kept.
  await expect(page.getByTestId('error-price')).toContainText('like 24.99');
  await expect(page.getByTestId('error-sizes')).toContainText('twice');
  await expect(form.getByLabel('Name', { exact: true })).toHaveValue(name);
  await expect(form.getByLabel('Category')).toHaveValue('men-tops');
  await expect(form.getByLabel('Description (optional)')).toHaveValue('Light and crinkled, made for hot days.\n\nRelaxed fit.');
  await expect(form.getByLabel('Colours')).toHaveValue('Blue, White');
  await page.goto('/admin/products');
  await expect(page.getByTestId('admin-products')).not.toContainText(name);

  await page.goto('/admin/products/new');
  await ready(page);
  await form.getByLabel('Name', { exact: true }).fill(name);
  await form.getByLabel('Category').selectOption('men-tops');
  await form.getByLabel('Description (optional)').fill('Light and crinkled, made for hot days.\n\nRelaxed fit.');
  await form.getByLabel('Material and care (optional)').fill('100% cotton. Wash at 40°C.');
  await form.getByLabel('SKU prefix').fill(`SS-${tag}`);
  await form.getByLabel('Colours').fill('Blue, White');
  await form.getByLabel('Sizes').fill('S, M, L');
  await form.getByLabel('Price of each (£, VAT included)').fill('32.50');
  await form.getByRole('button', { name: 'Save as draft' }).click();

  const slug = `seersucker-shirt-${tag}`;
  await expect(page).toHaveURL(new RegExp(`/admin/products/${slug}$`));
  await ready(page);
  await expect(page.getByTestId('notice')).toContainText('Saved');
  await expect(page.getByTestId('staff-variant')).toHaveCount(6);
  await expect(page.getByTestId('staff-variant').first()).toContainText(`SS-${tag.toUpperCase()}-BLUE-S`);
  // A draft is not in the shop yet.
  expect((await page.goto(`/p/${slug}`))?.status()).toBe(404);

  await page.goto(`/admin/products/${slug}`);
  await ready(page);
  const first = page.getByTestId('staff-variant').first();
  await first.getByLabel('Items in (+) or out (−)').fill('3');
  await first.getByLabel('Why').fill('first delivery');
  await first.getByRole('button', { name: /Change stock/ }).click();
  await expect(page.getByTestId('notice')).toContainText('3 on hand now');

  await page.getByText('Add colours or sizes').click();
  const grid = page.getByTestId('add-variants');
  await grid.getByLabel('Colours').fill('Sage');
  await grid.getByLabel('Sizes').fill('M');
  await grid.getByLabel('Price of each (£, VAT included)').fill('34');
  await grid.getByRole('button', { name: 'Add variants' }).click();
  await expect(page.getByTestId('staff-variant')).toHaveCount(7);

  await page.getByText('Details and status').click();
  const details = page.getByTestId('product-details');
  await details.getByLabel('Name', { exact: true }).fill('');
  await details.getByLabel('Active: in the shop').check();
  await details.getByRole('button', { name: 'Save details' }).click();
  await expect(page.getByTestId('error-name')).toBeVisible();
  await expect(details.getByLabel('Active: in the shop')).toBeChecked();
  await details.getByLabel('Name', { exact: true }).fill(name);
  await details.getByRole('button', { name: 'Save details' }).click();
  await expect(page.getByTestId('notice')).toContainText('Saved');

  await page.goto(`/c/men-tops?sort=newest`);
  await ready(page);
  await expect(page.getByRole('link', { name: new RegExp(name) }).first()).toBeVisible();
  await page.goto(`/p/${slug}`);
  await ready(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await expect(page.getByTestId('price')).toContainText('£32.50 to £34.00');
  await expect(page.getByTestId('about')).toContainText('Relaxed fit.');
  await expect(page.getByTestId('material-care')).toHaveText('100% cotton. Wash at 40°C.');
});
