import { expect, fillIn, ready } from './fixtures';
import type { Locator, Page } from '@playwright/test';
import { signedIn } from './accounts';

// Steps the back-office specs share.

/** A new customer, signed in, is refused each of `paths` with a 403. */
export async function customerRefused(page: Page, name: string, paths: string[]) {
  await signedIn(page, name);
  for (const path of paths) expect((await page.goto(path))?.status(), path).toBe(403);
}

/** A new staff member signs in and opens `section` from the back office's front page. */
export async function staffOpen(page: Page, name: string, section: string) {
  await signedIn(page, name, 'staff');
  await page.goto('/admin');
  await ready(page);
  await page.getByRole('link', { name: section }).click();
}

/** Takes `change` items of a variant in (or out, when negative), saying why. */
export async function changeStock(variant: Locator, change: number, why: string) {
  await fillIn(variant, { 'Items in (+) or out (−)': String(change), Why: why });
  await variant.getByRole('button', { name: /Change stock/ }).click();
}

/** Sets a variant's price (in £) and, when given, what it cost before the sale. */
export async function setPrice(variant: Locator, price: string, beforeSale?: string) {
  await variant.getByLabel('Price (£, VAT included)').fill(price);
  if (beforeSale !== undefined) await variant.getByLabel('Before sale (optional)').fill(beforeSale);
  await variant.getByRole('button', { name: /Set price/ }).click();
}
