import { test, expect, jsEnabled, ready } from './fixtures';

test('home page shows the departments seeded in the catalog database', async ({ page }) => {
  const response = await page.goto('/');
  expect(response?.status()).toBe(200);
  await expect(page).toHaveTitle('Clothing for the whole family · SURY');
  const nav = page.getByRole('navigation', { name: 'Departments' });
  for (const name of ['Women', 'Men', 'Kids', 'Baby']) {
    await expect(nav.getByRole('link', { name, exact: true })).toBeVisible();
  }
  const panel = page.getByTestId('department-panel');
  await expect(panel.getByRole('heading', { name: 'Women' })).toBeVisible();
  await expect(panel.getByRole('link', { name: /Dresses/ })).toHaveAttribute('href', '/c/women-dresses');
  await ready(page);
});

test('choosing a department shows its categories (in place once hydrated)', async ({ page }) => {
  await page.goto('/');
  await ready(page);
  const switcher = page.getByTestId('department-switcher');
  if (jsEnabled()) await expect(switcher).toHaveAttribute('data-ready', 'true');
  else await expect(switcher).not.toHaveAttribute('data-ready', 'true');
  // A full page load would wipe this marker; client-side routing keeps it.
  await page.evaluate(() => ((window as any).__sameDocument = true)).catch(() => {});

  await page.getByRole('list', { name: 'Choose a department' }).getByRole('link', { name: 'Kids' }).click();

  await expect(page).toHaveURL(/\/\?dept=kids$/);
  const panel = page.getByTestId('department-panel');
  await expect(panel).toHaveAttribute('data-department', 'kids');
  await expect(panel.getByRole('link', { name: /School uniform/ })).toBeVisible();
  await expect(
    page.getByRole('list', { name: 'Choose a department' }).getByRole('link', { name: 'Kids' }),
  ).toHaveAttribute('aria-current', 'true');

  if (jsEnabled()) {
    expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
  } else {
    await expect(page.locator('body')).not.toHaveAttribute('data-hydrated', 'true');
  }

  // Back returns to the department shown before.
  await page.goBack();
  await expect(panel).toHaveAttribute('data-department', 'women');
  await expect(page).toHaveURL(/\/$/);
});

test('the page is styled by the Tailwind build and protected by a nonce CSP', async ({ page }) => {
  const response = await page.goto('/');
  const csp = response?.headers()['content-security-policy'] ?? '';
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9_-]{16,}' 'wasm-unsafe-eval'/);
  expect(csp).not.toContain('unsafe-inline');
  expect(response?.headers()['x-content-type-options']).toBe('nosniff');
  // bg-stone-50 from the stylesheet, not the browser's default white.
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(background).not.toBe('rgba(0, 0, 0, 0)');
  expect(background).not.toBe('rgb(255, 255, 255)');
  await ready(page);
});

test('the shop fits a 320 px phone without sideways scrolling', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  for (const path of ['/', '/c/kids', '/search?q=dress', '/no-such-page', '/collections/sale', '/p/women-linen-blend-blouse']) {
    await page.goto(path);
    await ready(page);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0);
    await expect(page.getByRole('searchbox', { name: 'Search the shop' })).toBeVisible();
  }
});

test('keyboard users can skip to the content', async ({ page }) => {
  await page.goto('/');
  await ready(page);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#main$/);
});
