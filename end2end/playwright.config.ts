import { defineConfig } from '@playwright/test';

// The Makefile's `e2e` target sets these: a free port, a throw-away data
// directory and the release server binary.
const port = process.env.E2E_PORT ?? '3100';
const baseURL = `http://127.0.0.1:${port}`;

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
  forbidOnly: !!process.env.CI,
  retries: 0,
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
    { name: 'no-js', use: { javaScriptEnabled: false }, testIgnore: /weight\.spec/ },
    { name: 'assets', testMatch: /weight\.spec/ },
  ],
  webServer: {
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
      RUST_LOG: 'warn',
    },
  },
});
