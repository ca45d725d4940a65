import { test, expect, ready, jsEnabled } from './fixtures';
import type { Page } from '@playwright/test';

// Browsing the demo catalog: filters, sort and pages live in the URL, so
// they work as plain GET forms without JavaScript; hydrated, a tick or a
// choice applies at once.

const cards = (page: Page) => page.getByTestId('products').getByRole('listitem');

async function openFilters(page: Page) {
  const panel = page.locator('details', { has: page.getByTestId('filters') });
  if ((await panel.getAttribute('open')) === null) {
    await panel.locator('summary').click();
  }
}

/** Applies whatever was just changed: by itself with JS, by Apply without. */
async function apply(page: Page, expectedUrl: RegExp) {
  if (!jsEnabled()) {
    await page.getByTestId('filters').getByRole('button', { name: 'Apply' }).click();
  }
  await expect(page).toHaveURL(expectedUrl);
  await ready(page);
}

async function prices(page: Page): Promise<number[]> {
  const texts = await cards(page).allTextContents();
  return texts.map((text) => Number(/from £(\d+\.\d\d)/.exec(text)![1]));
}

test('a shopper filters a department by size and colour, sorts, pages and shares the link', async ({ page, context }) => {
  await page.goto('/c/women');
  await ready(page);
  const count = page.getByTestId('product-count');
  await expect(count).toHaveText(/^\d+ products, page 1 of \d+$/);
  const total = Number(/^(\d+)/.exec((await count.textContent())!)![1]);
  await expect(cards(page)).toHaveCount(12);

  // The second page has the rest, and Previous leads back.
  const pages = page.getByRole('navigation', { name: 'Pages' });
  await pages.getByRole('link', { name: 'Next' }).click();
  await expect(page).toHaveURL(/\/c\/women\?page=2$/);
  await ready(page);
  await expect(cards(page)).toHaveCount(total - 12);
  await expect(pages.locator('[aria-current="page"]')).toHaveText('2');

  // Size 14 is worn, not a shoe size: the filter narrows the list.
  await page.goto('/c/women');
  await ready(page);
  await openFilters(page);
  await page.getByTestId('filters').getByRole('checkbox', { name: /^14/ }).check();
  await apply(page, /\/c\/women\?.*size=14/);
  await expect(count).not.toHaveText(new RegExp(`^${total} `));
  const sized = Number(/^(\d+)/.exec((await count.textContent())!)![1]);
  expect(sized).toBeLessThan(total);
  await expect(page.locator('summary')).toContainText('(1 active)');

  await openFilters(page);
  await page.getByTestId('filters').getByRole('checkbox', { name: /^Navy/ }).check();
  await apply(page, /size=14.*colour=Navy|colour=Navy.*size=14/);
  const both = Number(/^(\d+)/.exec((await count.textContent())!)![1]);
  expect(both).toBeGreaterThan(0);
  expect(both).toBeLessThan(sized);
  await expect(page.getByTestId('filters').getByRole('checkbox', { name: /^14/ })).toBeChecked();
  await expect(page.getByTestId('filters').getByRole('checkbox', { name: /^Navy/ })).toBeChecked();

  // Every card shown offers navy: open one and see.
  const first = cards(page).first().getByRole('link');
  const href = (await first.getAttribute('href'))!;

  // Sort by price, lowest first.
  await openFilters(page);
  await page.getByTestId('filters').getByLabel('Sort by').selectOption('price-asc');
  await apply(page, /sort=price-asc/);
  const ascending = await prices(page);
  expect(ascending).toEqual([...ascending].sort((a, b) => a - b));

  // The URL is the whole state: another tab shows the same products.
  const shared = page.url();
  const other = await context.newPage();
  await other.goto(shared);
  await ready(other);
  expect(await cards(other).allTextContents()).toEqual(await cards(page).allTextContents());
  await other.close();

  await page.goto(href);
  await ready(page);
  await expect(page.getByTestId('colour').filter({ hasText: 'Navy' })).toHaveCount(1);

  // Clear all goes back to everything.
  await page.goto(shared);
  await ready(page);
  await openFilters(page);
  await page.getByRole('link', { name: 'Clear all' }).click();
  await expect(page).toHaveURL(/\/c\/women$/);
  await expect(count).toHaveText(new RegExp(`^${total} products`));
});

test('a filter typed wrong says what is wrong, keeps what was typed and the rest applies', async ({ page }) => {
  await page.goto('/c/women?size=14&min=cheap&max=50');
  await ready(page);
  await expect(page.getByRole('alert')).toHaveText('Give prices as amounts like 20 or 19.99.');
  await expect(page.getByLabel('From')).toHaveValue('cheap');
  await expect(page.getByLabel('From')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('filters').getByRole('checkbox', { name: /^14/ })).toBeChecked();
  // Size and the upper price still narrow the list.
  const prices_ = await prices(page);
  expect(prices_.length).toBeGreaterThan(0);
  expect(Math.max(...prices_)).toBeLessThanOrEqual(50);

  // A page past the end is a page, not an error.
  const response = await page.goto('/c/women?page=40');
  expect(response?.status()).toBe(200);
  await ready(page);
  await expect(page.getByTestId('empty-listing')).toHaveText('This page is past the end of the list.');
});

test('search finds products, forgives a typo, filters results and handles hostile input', async ({ page }) => {
  page.on('dialog', (dialog) => {
    throw new Error(`a script ran: ${dialog.message()}`);
  });
  await page.goto('/');
  await ready(page);
  await page.getByRole('searchbox', { name: 'Search the shop' }).fill('linnen wrap dres');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/\/search\?q=linnen\+wrap\+dres$/);
  await ready(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Results for “linen wrap dres”');
  await expect(page.getByTestId('corrected')).toContainText('No products match “linnen wrap dres”');
  await page.getByRole('link', { name: /Linen wrap dress/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Linen wrap dress');

  // Results filter like a category, and the search term stays.
  await page.goto('/search?q=dress');
  await ready(page);
  const all = await cards(page).count();
  expect(all).toBeGreaterThanOrEqual(3);
  await openFilters(page);
  await page.getByTestId('filters').getByRole('checkbox', { name: /^8 / }).check();
  await apply(page, /\/search\?q=dress&.*size=8/);
  expect(await cards(page).count()).toBeLessThanOrEqual(all);
  await expect(page.getByRole('searchbox', { name: 'Search the shop' })).toHaveValue('dress');

  // Markup and SQL are only words.
  for (const hostile of ['<script>alert(1)</script>', "dress' OR '1'='1"]) {
    await page.goto(`/search?q=${encodeURIComponent(hostile)}`);
    await ready(page);
    await expect(page.getByTestId('no-results')).toContainText(`Nothing matches “${hostile}”`);
  }

  // Nothing close: words the shop does have, and the departments.
  await page.goto('/search?q=jakcet');
  await ready(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Results for “jacket”');
  await page.goto('/search?q=zzqx');
  await ready(page);
  await expect(page.getByTestId('no-results')).toBeVisible();
  await expect(page.getByRole('main').getByRole('link', { name: 'Kids', exact: true })).toBeVisible();
});
