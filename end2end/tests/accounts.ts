import { test, expect, ready, sendForm } from './fixtures';
import type { Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';

// Steps the account specs share.

// What the shop sent, read from the test SMTP server (maildev).
const mailApi = `http://127.0.0.1:${process.env.E2E_MAIL_WEB_PORT ?? '3180'}`;

type Mail = { subject: string; text: string; to: { address: string }[] };

/** Waits for an email to `to` whose subject matches, and returns it. */
export async function mailTo(to: string, subject: RegExp): Promise<Mail> {
  let found: Mail | undefined;
  await expect
    .poll(
      async () => {
        const mails: Mail[] = await (await fetch(`${mailApi}/api/email`)).json();
        found = mails.find((m) => m.to.some((t) => t.address === to) && subject.test(m.subject));
        return !!found;
      },
      { timeout: 15_000 },
    )
    .toBe(true);
  return found!;
}

/** Waits for an email to `to` whose subject matches, and returns its link. */
export async function linkIn(to: string, subject: RegExp): Promise<string> {
  const found = await mailTo(to, subject);
  const link = found.text.match(/https?:\/\/\S+token=[\w-]+/);
  expect(link, 'a link with a token').not.toBeNull();
  return link![0];
}

/** An address no other test (or project) uses. */
export const unique = (name: string) =>
  `${name}-${test.info().project.name}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;

export const PASSWORD = 'violet meadow 42';

export async function signUp(page: Page, email: string, password = PASSWORD) {
  await sendForm(page, '/account/sign-up', { 'Your name': 'Ann Lee', Email: email, Password: password }, 'Create account');
  await expect(page.getByTestId('check-email')).toBeVisible();
}

export async function signIn(page: Page, email: string, password: string) {
  await sendForm(page, '/account/sign-in', { Email: email, Password: password }, 'Sign in');
}

/**
 * A new account (made staff when asked), signed in and on its account page.
 * Returns its address.
 */
export async function signedIn(page: Page, name: string, role: 'customer' | 'staff' = 'customer'): Promise<string> {
  const email = unique(name);
  await signUp(page, email);
  if (role === 'staff') makeStaff(email);
  await signIn(page, email, PASSWORD);
  await expect(page.getByTestId('account-email')).toHaveText(email);
  await ready(page);
  return email;
}

/** Makes an existing account staff, as an operator would: `server grant-role`. */
export function makeStaff(email: string) {
  execFileSync(process.env.E2E_SERVER_BIN ?? '../target/release/server', ['grant-role', email, 'staff', 'Sam Staff'], {
    env: { ...process.env, SURY_DATA_DIR: process.env.E2E_DATA_DIR ?? 'e2e-data', RUST_LOG: 'warn' },
    input: PASSWORD,
  });
}
