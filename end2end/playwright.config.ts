import { defineConfig } from '@playwright/test';

// The Makefile's `e2e` target sets these: a free port, a throw-away data
// directory and the release server binary.
const port = process.env.E2E_PORT ?? '3100';
const baseURL = `http://127.0.0.1:${port}`;
// A real SMTP server (maildev) the shop sends to; tests read what arrived
// through its HTTP API.
const smtpPort = process.env.E2E_SMTP_PORT ?? '3125';
const mailWebPort = process.env.E2E_MAIL_WEB_PORT ?? '3180';
const mailApi = `http://127.0.0.1:${mailWebPort}`;

// Flags verified on these machines; the background ones keep Chromium from
// flooding a closed network with connection attempts.
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export default defineConfig({
  testDir: './tests',
  // Beside the specs, not wherever playwright was started from.
  outputDir: './test-results',
  fullyParallel: true,
  // A stray test.only would silently skip the rest of the suite.
  forbidOnly: true,
  retries: 0,
  // Two browsers at once, as shoppers arrive. Until 2026-12-07 this was
  // one: about 1 run in 8 a page came back with the fallback CSP, because
  // a concurrent request for a public file (favicon) took the page's
  // headers (see server/src/owner_isolation.rs and the concurrency test in
  // server/tests/server/concurrency.rs).
  workers: 2,
  reporter: [['list']],
  timeout: 30_000,
  use: {
    baseURL,
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: chromiumArgs,
    },
    trace: 'retain-on-failure',
  },
  // Every spec runs twice: hydrated, and as plain server-rendered HTML with
  // forms, the way a shop must still work on a slow phone.
  projects: [
    { name: 'js', use: { javaScriptEnabled: true }, testIgnore: /weight\.spec/ },
    // axe runs as a script in the page, so the accessibility checks run
    // hydrated only (the markup they check is the same server-rendered HTML).
    { name: 'no-js', use: { javaScriptEnabled: false }, testIgnore: /weight\.spec|a11y\.spec/ },
    { name: 'assets', testMatch: /weight\.spec/ },
  ],
  webServer: [{
    command: `maildev --smtp ${smtpPort} --web ${mailWebPort} --ip 127.0.0.1`,
    url: `${mailApi}/api/email`,
    reuseExistingServer: false,
    timeout: 30_000,
  }, {
    command: process.env.E2E_SERVER_BIN ?? '../target/release/server',
    url: `${baseURL}/health/ready`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      SURY_ADDR: `127.0.0.1:${port}`,
      SURY_DATA_DIR: process.env.E2E_DATA_DIR ?? 'e2e-data',
      SURY_SITE_ROOT: process.env.E2E_SITE_ROOT ?? '../target/site',
      SURY_PUBLIC_URL: baseURL,
      SURY_SMTP_URL: `smtp+insecure://127.0.0.1:${smtpPort}`,
      RUST_LOG: 'warn',
    },
  }],
});
