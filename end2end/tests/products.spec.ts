import { test, expect, ready } from './fixtures';

// The embedded shop starts with the demo catalog (see the README).

test('a category lists its products and a product page shows what can be bought', async ({ page }) => {
  await page.goto('/c/women-dresses');
  await ready(page);
  const products = page.getByTestId('products').getByRole('listitem');
  await expect(products).toHaveCount(3);
  await expect(products.first()).toContainText('from £');

  await page.getByRole('link', { name: /Linen wrap dress/ }).click();
  await expect(page).toHaveURL(/\/p\/women-linen-wrap-dress$/);
  await ready(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Linen wrap dress');
  await expect(page.getByTestId('price')).toHaveText(/^£\d+\.\d\d/);
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Dresses' })).toBeVisible();
  expect(await page.getByTestId('colour').count()).toBeGreaterThanOrEqual(2);
  // A sold-out size says so to screen readers too, not only by styling.
  const soldOut = page.locator('[data-testid="size"][data-available="0"]').first();
  await expect(soldOut).toContainText('sold out');
  const inStock = page.locator('[data-testid="size"]:not([data-available="0"])').first();
  await expect(inStock).not.toContainText('sold out');
});

test('a department lists the products of all its categories', async ({ page }) => {
  await page.goto('/c/baby');
  await ready(page);
  await expect(page.getByTestId('products').getByRole('listitem')).toHaveCount(7);
  await page.getByRole('link', { name: /Fleece pramsuit/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Fleece pramsuit');
});

test('an unknown product is a 404 page', async ({ page }) => {
  const response = await page.goto('/p/no-such-thing');
  expect(response?.status()).toBe(404);
  await ready(page);
});

test('a product page tells search engines what it is', async ({ page }) => {
  await page.goto('/p/women-linen-wrap-dress');
  await ready(page);
  await expect(page.locator('link[rel="canonical"]')).toHaveAttribute('href', /\/p\/women-linen-wrap-dress$/);
  await expect(page.locator('meta[property="og:title"]')).toHaveAttribute('content', 'Linen wrap dress');
  const json = await page.locator('script[type="application/ld+json"]').textContent();
  const data = JSON.parse(json!);
  expect(data['@type']).toBe('Product');
  expect(data.name).toBe('Linen wrap dress');
  expect(data.offers.priceCurrency).toBe('GBP');
  expect(data.offers.availability).toBe('https://schema.org/InStock');
  expect(Number(data.offers.lowPrice)).toBeGreaterThan(0);
  expect(data.brand).toEqual({ '@type': 'Brand', name: 'SURY Essentials' });
});
