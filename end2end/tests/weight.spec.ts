// Runs once (the `assets` project): what is measured here does not depend
// on whether the browser runs JavaScript.
import { test, expect } from '@playwright/test';
import { pageWeight } from './page-weight';

// The budget a product page must meet (README: "Ship lean"); the home page,
// with less on it, must meet it too.
const BUDGET_BYTES = 150 * 1024;

test('home page JS + wasm stays within the 150 KB brotli budget', async ({ baseURL }) => {
  const weight = await pageWeight(`${baseURL}/`);
  for (const file of weight.files) expect(file.encoding, file.url).toBe('br');
  expect(weight.wasm).toBeGreaterThan(0);
  expect(weight.js).toBeGreaterThan(0);
  console.log(
    `home page (brotli): html ${weight.html} B, css ${weight.css} B, js ${weight.js} B, wasm ${weight.wasm} B; js + wasm ${weight.js_plus_wasm} B`,
  );
  expect(weight.js_plus_wasm).toBeLessThan(BUDGET_BYTES);
});

test('hashed assets are cached for a year, pages are not', async ({ request }) => {
  const page = await request.get('/');
  expect(page.headers()['cache-control'] ?? '').not.toContain('immutable');
  const html = await page.text();
  const wasm = /href="(\/pkg\/[^"]+\.wasm)"/.exec(html)?.[1];
  expect(wasm, 'hashed wasm file name').toMatch(/^\/pkg\/sury\.[A-Za-z0-9_-]{8,}\.wasm$/);
  const asset = await request.get(wasm!, { headers: { 'accept-encoding': 'br' } });
  expect(asset.status()).toBe(200);
  expect(asset.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  expect(asset.headers()['content-encoding']).toBe('br');
});
