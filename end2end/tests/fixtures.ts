import { test as base, expect, type Locator, type Page } from '@playwright/test';

// Every test fails on a console error or warning (hydration mismatches and
// CSP violations show up there) and on an uncaught page error.
// Every page a test opens is watched: the first one, others opened in its
// context, and pages of contexts it makes itself (a second shopper, staff).
export const test = base.extend<{ consoleProblems: string[] }>({
  consoleProblems: [
    async ({ page, context, browser }, use) => {
      const problems: string[] = [];
      const watch = (watched: Page) => {
        watched.on('console', (msg) => {
          // Chromium reports a page served as 404 or 400 on the console; the
          // tests that expect such a page assert its status themselves.
          const documentStatus =
            msg.text().startsWith('Failed to load resource') && msg.location().url === watched.url();
          // With JavaScript off the preloaded wasm is never used, and
          // Chromium says so when a page stays open a few seconds.
          const unusedPreload =
            test.info().project.name === 'no-js' && msg.text().includes('was preloaded using link preload but not used');
          if ((msg.type() === 'error' || msg.type() === 'warning') && !documentStatus && !unusedPreload) {
            problems.push(`${msg.type()}: ${msg.text()} (${watched.url()})`);
          }
        });
        watched.on('pageerror', (err) => problems.push(`pageerror: ${err.message} (${watched.url()})`));
      };
      watch(page);
      context.on('page', watch);
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (options) => {
        const made = await newContext(options);
        made.on('page', watch);
        return made;
      };
      try {
        await use(problems);
      } finally {
        browser.newContext = newContext;
      }
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

/** A drop-down's choice, for `fillIn`: the option with this value or label. */
export const option = (value: string) => ({ option: value });

/** What `fillIn` puts in a field: text to type, or an `option(...)`. */
export type FieldValue = string | { option: string };

/**
 * Fills in the fields of `scope` named by their labels, in the order given:
 * a text is typed into its field, an `option(...)` chosen in its drop-down.
 */
export async function fillIn(scope: Page | Locator, fields: Record<string, FieldValue>) {
  for (const [label, value] of Object.entries(fields)) {
    const field = scope.getByLabel(label);
    if (typeof value === 'string') await field.fill(value);
    else await field.selectOption(value.option);
  }
}

/** Opens `path` and sends its form, `fields` filled in, with the button named `button`. */
export async function sendForm(page: Page, path: string, fields: Record<string, FieldValue>, button: string) {
  await page.goto(path);
  await ready(page);
  await fillIn(page, fields);
  await page.getByRole('button', { name: button }).click();
}
