import { test, expect, ready } from './fixtures';

test('a category page has a breadcrumb and its sub-categories', async ({ page }) => {
  await page.goto('/');
  await ready(page);
  await page.getByRole('navigation', { name: 'Departments' }).getByRole('link', { name: 'Baby' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Baby' })).toBeVisible();
  await page.getByRole('link', { name: /Sleepsuits/ }).click();
  await expect(page).toHaveURL(/\/c\/baby-sleepsuits$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Sleepsuits' })).toBeVisible();
  const crumbs = page.getByRole('navigation', { name: 'Breadcrumb' });
  await expect(crumbs.getByRole('link', { name: 'Baby' })).toHaveAttribute('href', '/c/baby');
  await expect(page).toHaveTitle('Baby Sleepsuits · SURY');
});

test('search finds categories across departments', async ({ page }) => {
  await page.goto('/');
  await ready(page);
  await page.getByRole('searchbox', { name: 'Search the shop' }).fill('dresses');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/\/search\?q=dresses$/);
  const results = page.getByTestId('search-results');
  await expect(results.getByRole('link')).toHaveCount(3);
  await expect(results).toContainText('Kids › Dresses');
  // The box keeps what the shopper typed.
  await expect(page.getByRole('searchbox', { name: 'Search the shop' })).toHaveValue('dresses');
});

test('a search with no match suggests departments', async ({ page }) => {
  await page.goto('/search?q=tuxedo');
  await ready(page);
  await expect(page.getByTestId('no-results')).toContainText('Nothing matches “tuxedo”');
  await expect(page.getByRole('main').getByRole('link', { name: 'Men', exact: true })).toBeVisible();
});
