import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests against the browser host (`lockstep serve`), in Debian's Chromium
 * (/usr/bin/chromium): never a downloaded browser. Two workers on this 2-core machine (each
 * spec file starts its own app and repos; most of a test's time is waiting on the page); the specs keep their own screenshots in test-artifacts/screenshots. Needs `npm run build` first
 * (`npm run test:e2e` does it).
 */
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  workers: 2,
  fullyParallel: false,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  outputDir: 'test-artifacts/e2e',
  use: {
    viewport: { width: 1400, height: 860 },
    colorScheme: 'light',
    screenshot: 'only-on-failure',
    trace: 'off',
    acceptDownloads: true,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    },
  },
});
