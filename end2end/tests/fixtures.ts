import { test as base, expect, type Page } from '@playwright/test';

// Every test fails on a console error or warning (hydration mismatches and
// CSP violations show up there) and on an uncaught page error.
export const test = base.extend<{ consoleProblems: string[] }>({
  consoleProblems: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on('console', (msg) => {
        // Chromium reports a page served as 404 or 400 on the console; the
        // tests that expect such a page assert its status themselves.
        const documentStatus =
          msg.text().startsWith('Failed to load resource') && msg.location().url === page.url();
        // With JavaScript off the preloaded wasm is never used, and
        // Chromium says so when a page stays open a few seconds.
        const unusedPreload =
          test.info().project.name === 'no-js' && msg.text().includes('was preloaded using link preload but not used');
        if ((msg.type() === 'error' || msg.type() === 'warning') && !documentStatus && !unusedPreload) {
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
