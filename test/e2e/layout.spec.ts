/**
 * The smallest window Lockstep supports, 1024×700: the streams table shows every column a
 * maintainer acts on, "behind" and its Draft promotion included, with no scrolling sideways.
 * Settings say which value an environment variable overrides, beside the field it overrides.
 */
import type { Locator } from '@playwright/test';
import { shot, startApp, type RunningApp } from './helpers/app';
import { expect, test } from './helpers/offline';
import { buildSyntheticRepo } from './helpers/synthetic-repo';

let app: RunningApp;
test.beforeAll(async () => {
  app = await startApp({ repo: buildSyntheticRepo().dir });
});
test.afterAll(async () => {
  await app?.stop();
});

/** Whether `inner` lies wholly inside what `box` shows (its scroll position as it is). */
async function shownInside(inner: Locator, box: Locator): Promise<boolean> {
  const [a, b] = [await inner.boundingBox(), await box.boundingBox()];
  return !!a && !!b && a.x >= b.x && a.x + a.width <= b.x + b.width + 0.5;
}

test('at 1024×700 the streams table shows its "behind" column without scrolling sideways', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(app.at('#/streams'));
  const wrap = page.locator('.table-wrap').filter({ has: page.getByTestId('streams-table') });
  await expect(page.getByTestId('streams-table')).toBeVisible();
  const testing = page.locator('[data-testid="stream-row"][data-stream="testing"]');
  await expect(testing.getByTestId('behind')).toContainText('1 behind testing-devel');
  // Nothing to scroll sideways, in the table or the page.
  const overflow = await wrap.evaluate((el) => el.scrollWidth - el.clientWidth);
  expect(overflow, 'the streams table is wider than its box').toBeLessThanOrEqual(0);
  expect(await wrap.evaluate((el) => el.ownerDocument.documentElement.scrollWidth - el.ownerDocument.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  for (const cell of [testing.getByTestId('behind'), testing.getByRole('button', { name: /Draft promotion/ }), testing.getByTestId('stream-diff-testing'), testing.getByTestId('hide-testing')]) {
    expect(await shownInside(cell, wrap)).toBe(true);
  }
  await shot(page, 'layout-streams-1024x700');
});

test('settings say which service URL an environment variable overrides, and only that one', async ({ page }) => {
  const other = await startApp({ repo: buildSyntheticRepo().dir, env: { LOCKSTEP_BODHI_URL: 'http://127.0.0.1:9/bodhi' } });
  try {
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.goto(other.at('#/settings'));
    const note = page.getByTestId('env-set-bodhi');
    await expect(note).toHaveText('LOCKSTEP_BODHI_URL is set in the environment and wins over this setting.');
    // Heard with the field: its description.
    await expect(page.getByTestId('set-bodhi')).toHaveAccessibleDescription(/LOCKSTEP_BODHI_URL is set in the environment/);
    await expect(page.getByTestId('env-set-koji')).toHaveCount(0);
  } finally {
    await other.stop();
  }
  // Without the variable, no such note.
  await page.goto(app.at('#/settings'));
  await expect(page.getByTestId('save-settings')).toBeVisible();
  await expect(page.getByTestId('env-set-bodhi')).toHaveCount(0);
});
