import { test, expect, ready } from './fixtures';

const leaks = /panicked|stack backtrace|\.rs:\d+|sqlx|ServerFnError/i;

test('an unknown address gets a styled 404 inside the site shell', async ({ page }) => {
  const response = await page.goto('/no-such-page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Departments' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Back to the shop' })).toHaveAttribute('href', '/');
  await ready(page);
});

test('an unknown category is a 404 too', async ({ page }) => {
  const response = await page.goto('/c/pets');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await ready(page);
});

test('a server function error is shown styled, with no internals', async ({ page }) => {
  // The search box stops at 100 characters; a hand-made URL does not.
  const response = await page.goto(`/search?q=${'a'.repeat(101)}`);
  expect(response?.status()).toBe(400);
  const alert = page.getByTestId('error-panel');
  await expect(alert).toContainText('Search terms can be at most 100 characters long.');
  await expect(alert).toHaveCSS('background-color', 'rgb(255, 255, 255)');
  expect(await page.content()).not.toMatch(leaks);
  await ready(page);
});
