/**
 * The history view on the synthetic repo with a long testing-devel history and a branch outside
 * the promotion chain: release streams charted by default (others by a toggle), the current
 * version written in full at each lane's end, one row per commit with binaries folded in, rows
 * virtualized, tabs on one line, the table on screen at 1024×700, and all of it by keyboard.
 */
import AxeBuilder from '@axe-core/playwright';
import { lockfileJson } from '../helpers/repo-builder';
import { shot, startApp, type RunningApp } from './helpers/app';
import { expect, test } from './helpers/offline';
import { buildSyntheticRepo, SYNTHETIC } from './helpers/synthetic-repo';

let app: RunningApp;
const BUMPS = 240;
const kernelLock = (evr: string) =>
  lockfileJson(Object.fromEntries(['kernel', 'kernel-core', 'kernel-modules', 'kernel-modules-core'].map((b) => [b, { evra: `${evr}.x86_64`, sourcerpm: 'kernel' }])));

test.beforeAll(async () => {
  const repo = buildSyntheticRepo();
  repo.branch('rhcos-4.6', repo.rev('testing-devel'));
  repo.commit('rhcos: kernel', { 'manifest-lock.x86_64.json': kernelLock('4.18.0-1.el8') });
  repo.checkout('testing-devel');
  // Many kernel bumps: more rows than a screen holds; each commit moves all four binaries.
  for (let i = 1; i <= BUMPS; i++) repo.commit(`lockfiles: kernel bump ${i}`, { 'manifest-lock.x86_64.json': kernelLock(`6.12.${i}-100.fc41`) });
  app = await startApp({ repo: repo.dir });
});
test.afterAll(async () => {
  await app?.stop();
});

test('history of a source package: release streams charted, full lane labels, one row per commit, virtualized rows', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(app.at('#/history?name=kernel'));
  const lanes = page.getByTestId('timeline-lane');
  await expect(lanes.first()).toBeVisible({ timeout: 30_000 });
  // Release streams only (rawhide and branched had kernel before they dropped their lockfiles).
  await expect(lanes).toHaveCount(SYNTHETIC.streams.length);
  expect(await lanes.evaluateAll((els) => els.map((e) => e.getAttribute('data-stream')))).toEqual(SYNTHETIC.streams);
  // The current version in full at the lane's end, inside the chart.
  const label = page.locator('[data-stream="testing-devel"] [data-testid="lane-label"]');
  await expect(label).toHaveText(`6.12.${BUMPS}-100.fc41`);
  const chart = (await page.getByTestId('timeline-chart').boundingBox())!;
  const box = (await label.boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(chart.x + chart.width);

  // One row per commit (the four binaries folded), far fewer rendered than there are.
  const table = page.getByTestId('history-table');
  await expect(table).toHaveAttribute('data-rows', String(BUMPS + 2));
  const rendered = await page.getByTestId('history-row').count();
  expect(rendered).toBeGreaterThan(5);
  expect(rendered).toBeLessThan(60);
  await expect(page.getByTestId('history-row').first()).toContainText(`6.12.${BUMPS}-100.fc41.x86_64`);
  await expect(page.getByTestId('history-row').first()).toContainText('4 binaries');
  // The table starts on screen at 1024×700, and the tabs stay on one line each.
  expect((await table.boundingBox())!.y).toBeLessThan(600);
  for (const tab of await page.locator('.lane-tabs .tab').all()) expect((await tab.boundingBox())!.height).toBeLessThan(40);
  await shot(page, 'history-kernel-1024x700');
  // With rows, chart and a row's details on screen: no serious or critical axe violation.
  await page.getByTestId('history-row-open').first().click();
  await expect(page.getByTestId('history-details')).toBeVisible();
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)).toEqual([]);

  // Scrolling the rows renders the oldest ones.
  await page.locator('.history-rows').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(page.getByTestId('history-row').last()).toContainText('lockfiles: import');

  // Other branches are charted on demand.
  await page.getByTestId('chart-toggle-rhcos-4.6').click();
  await expect(lanes).toHaveCount(SYNTHETIC.streams.length + 1);
  await expect(page.locator('[data-stream="rhcos-4.6"] [data-testid="lane-label"]')).toHaveText('4.18.0-1.el8');
  await page.getByTestId('chart-toggle-stable').click();
  await expect(lanes).toHaveCount(SYNTHETIC.streams.length);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await shot(page, 'history-kernel-1920x1080');
});

test('history by keyboard: a row opens its rationale with Enter, a tab switches the stream', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(app.at('#/history?name=kernel'));
  await expect(page.getByTestId('history-row').first()).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('history-row-open').first().focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('history-details')).toContainText(`lockfiles: kernel bump ${BUMPS}`);
  await page.getByTestId('history-lane-testing').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('history-lane-testing')).toHaveAttribute('aria-current', 'true');
  await expect(page.getByTestId('history-table')).toHaveAttribute('data-rows', '2');
  // Focus is visible on the chart toggles (an outline, not just a colour).
  await page.getByTestId('chart-toggle-testing').focus();
  const outline = await page.evaluate('getComputedStyle(document.activeElement).outlineStyle');
  expect(outline).not.toBe('none');
});
