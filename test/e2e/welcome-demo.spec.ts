import { expect, test } from '@playwright/test';
import { expectOffline, keepOffline, shot, startApp, type RunningApp } from './helpers/app';

let app: RunningApp;
test.beforeAll(async () => {
  app = await startApp();
});
test.afterAll(async () => {
  await app.stop();
});

test('a first start shows the welcome screen, and the demo repo works with no network', async ({ page }) => {
  const foreign = keepOffline(page);
  await page.goto(app.url);
  await expect(page.getByTestId('welcome')).toBeVisible();
  await expect(page.getByTestId('clone-url')).toHaveValue('https://github.com/coreos/fedora-coreos-config.git');
  await shot(page, '01-welcome');
  // The token left the address bar.
  expect(page.url()).not.toContain('token=');
  await page.getByTestId('open-demo').click();
  const rows = page.getByTestId('stream-row');
  await expect(rows).toHaveCount(6);
  await expect(rows.first()).toContainText('testing-devel');
  await expect(page.getByTestId('streams-table')).toContainText('behind testing-devel');
  await shot(page, '02-demo-streams');

  // Diff of the demo's stable against testing-devel, then a package's history.
  await page.getByTestId('quick-diff').click();
  await expect(page.getByTestId('diff-sides')).toContainText('stable');
  await expect(page.getByTestId('change-row').first()).toBeVisible();
  await page.getByTestId('diff-filter').fill('kernel');
  await expect(page.getByTestId('change-row').first()).toHaveAttribute('data-name', /kernel/);
  await page.getByTestId('change-row').first().getByRole('button').click();
  await expect(page.getByTestId('details')).toBeVisible();
  await page.getByTestId('open-history').click();
  await expect(page.getByTestId('timeline-chart')).toBeVisible();
  await expect(page.getByTestId('history-row').first()).toBeVisible();
  await page.waitForTimeout(500);
  await shot(page, '03-demo-history-chart');
  expectOffline(foreign);
});
