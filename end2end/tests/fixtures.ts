import { test as base, expect, type Page } from '@playwright/test';

// Every test fails on a console error or warning (hydration mismatches and
// CSP violations show up there) and on an uncaught page error.
export const test = base.extend<{ consoleProblems: string[] }>({
  consoleProblems: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error' || msg.type() === 'warning') {
          problems.push(`${msg.type()}: ${msg.text()}`);
        }
      });
      page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
      await use(problems);
      expect(problems, 'console errors or warnings').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

export const jsEnabled = () => test.info().project.name === 'js';

/** With JS on, waits until the wasm has hydrated the page. */
export async function ready(page: Page) {
  if (jsEnabled()) {
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  }
}
