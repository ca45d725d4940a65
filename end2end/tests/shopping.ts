import { expect } from './fixtures';
import type { Page } from '@playwright/test';

// Steps the basket and checkout specs share.

// The demo catalog (README) sells this dress in several colours and sizes.
export const DRESS = '/p/women-linen-wrap-dress';

export const count = (page: Page) => page.getByTestId('basket-count');

/** The n-th size with plenty in stock (so quantities here are never capped). */
export async function plentiful(page: Page, n: number) {
  const sizes = page.getByTestId('size');
  const found = [];
  for (let i = 0; i < (await sizes.count()); i++) {
    if (Number(await sizes.nth(i).getAttribute('data-available')) >= 8) found.push(sizes.nth(i));
  }
  expect(found.length, 'sizes with plenty in stock').toBeGreaterThan(n);
  return found[n];
}

/** Chooses the n-th plentiful size and adds `quantity` of it. */
export async function addSize(page: Page, n: number, quantity = 1): Promise<string> {
  const size = await plentiful(page, n);
  const sku = await size.locator('input').getAttribute('value');
  await size.click();
  await page.getByLabel('Quantity').fill(String(quantity));
  await page.getByRole('button', { name: 'Add to basket' }).click();
  await expect(page.getByTestId('notice')).toContainText('Added');
  return sku!;
}

