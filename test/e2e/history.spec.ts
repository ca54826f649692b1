/**
 * The history view on the synthetic repo with a long testing-devel history and a branch outside
 * the promotion chain: release streams charted by default (others by a toggle), the current
 * version written in full at each lane's end, one row per commit with binaries folded in, rows
 * virtualized, tabs on one line, the table on screen at 1024×700, and all of it by keyboard.
 */
import AxeBuilder from '@axe-core/playwright';
import { lockfileJson } from '../helpers/repo-builder';
import { shot, startApp, type RunningApp } from './helpers/app';
import { seriousViolationsBothThemes } from './helpers/audit';
import { expect, test } from './helpers/offline';
import { buildSyntheticRepo, SYNTHETIC } from './helpers/synthetic-repo';

let app: RunningApp;
const BUMPS = 240;
/** testing-devel's "bump to latest" (kernel 6.11.4) and testing's promotion of it. */
let bumpToLatest = '';
let promoted = '';
const kernelLock = (evr: string) =>
  lockfileJson(Object.fromEntries(['kernel', 'kernel-core', 'kernel-modules', 'kernel-modules-core'].map((b) => [b, { evra: `${evr}.x86_64`, sourcerpm: 'kernel' }])));

test.beforeAll(async () => {
  const repo = buildSyntheticRepo();
  repo.branch('rhcos-4.6', repo.rev('testing-devel'));
  repo.commit('rhcos: kernel', { 'manifest-lock.x86_64.json': kernelLock('4.18.0-1.el8') });
  repo.checkout('testing-devel');
  bumpToLatest = repo.rev('testing-devel~1');
  promoted = repo.rev('testing');
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
  const chart = page.getByTestId('timeline-chart');
  await expect(chart).toHaveAttribute('data-streams', SYNTHETIC.streams.join(' '), { timeout: 30_000 });
  // The current version in full at the lane's end, inside the chart (ECharts' end label).
  const label = chart.locator('text', { hasText: new RegExp(`^6\\.12\\.${BUMPS}-100\\.fc41$`) }).last();
  await expect(label).toBeVisible();
  const box = (await chart.boundingBox())!;
  const at = (await label.boundingBox())!;
  expect(at.x + at.width).toBeLessThanOrEqual(box.x + box.width);
  // Each lane is named, and versions are written at their changes (stable's only one: 6.10.12).
  for (const s of SYNTHETIC.streams) await expect(chart.locator('text', { hasText: new RegExp(`^${s}$`) })).toHaveCount(1);
  await expect(chart.locator('text', { hasText: /^6\.10\.12-200\.fc40$/ }).first()).toBeVisible();

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
  await expect(chart).toHaveAttribute('data-streams', [...SYNTHETIC.streams, 'rhcos-4.6'].join(' '));
  await expect(chart.locator('text', { hasText: /^4\.18\.0-1\.el8$/ }).first()).toBeVisible();
  await page.getByTestId('chart-toggle-stable').click();
  await expect(chart).toHaveAttribute('data-streams', [...SYNTHETIC.streams, 'rhcos-4.6'].filter((s) => s !== 'stable').join(' '));
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

const params = (page: import('@playwright/test').Page) => new URLSearchParams(new URL(page.url()).hash.split('?')[1] ?? '');

test('history keeps its question in the URL: stream, reached version and zoom; back and forward restore each', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  // The question names stable: its rows are listed, not testing-devel's.
  await page.goto(app.at('#/history?name=kernel&stream=stable'));
  await expect(page.getByTestId('history-lane-stable')).toHaveAttribute('aria-current', 'true', { timeout: 30_000 });
  await expect(page.getByTestId('history-table')).toHaveAttribute('data-rows', '1');
  await page.getByTestId('history-lane-testing').click();
  await expect(page.getByTestId('history-lane-testing')).toHaveAttribute('aria-current', 'true');
  expect(params(page).get('stream')).toBe('testing');
  await page.getByTestId('reached-input').fill('6.11');
  await page.getByTestId('reached-show').click();
  await expect(page.getByTestId('reached-line')).toBeVisible();
  expect(params(page).get('reached')).toBe('6.11');
  // A zoom preset (the keyboard's way to the chart's zoom) writes the window to the URL, and the chart shows that window.
  const chart = page.getByTestId('timeline-chart');
  await page.getByTestId('zoom-7').click();
  await expect.poll(() => params(page).get('from')).not.toBeNull();
  const from = params(page).get('from')!;
  await expect(chart).toHaveAttribute('data-from', from);
  await expect(page.getByTestId('zoom-7')).toHaveAttribute('aria-pressed', 'true');

  await page.goBack();
  await expect(page.getByTestId('zoom-all')).toHaveAttribute('aria-pressed', 'true');
  await expect(chart).not.toHaveAttribute('data-from', from);
  await page.goBack();
  await expect(page.getByTestId('reached-line')).toHaveCount(0);
  await expect(page.getByTestId('reached-input')).toHaveValue('');
  await page.goBack();
  await expect(page.getByTestId('history-lane-stable')).toHaveAttribute('aria-current', 'true');
  await page.goForward();
  await page.goForward();
  await expect(page.getByTestId('history-lane-testing')).toHaveAttribute('aria-current', 'true');
  await expect(page.getByTestId('reached-line')).toBeVisible();
  await page.goForward();
  await expect(chart).toHaveAttribute('data-from', from);

  // Leaving the screen and coming back by its tab brings the whole question back.
  await page.getByTestId('tab-streams').click();
  await expect(page.getByTestId('streams-table')).toBeVisible();
  await page.getByTestId('tab-history').click();
  await expect(page.getByTestId('reached-line')).toBeVisible({ timeout: 30_000 });
  expect(Object.fromEntries(params(page))).toMatchObject({ name: 'kernel', stream: 'testing', reached: '6.11', from });
  // A new question with no stream opens on the stream chosen last.
  await page.goto(app.at('#/history?name=kernel-core'));
  await expect(page.getByTestId('history-lane-testing')).toHaveAttribute('aria-current', 'true', { timeout: 30_000 });
});

test('the chart zooms with its own slider, and the URL follows the window', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(app.at('#/history?name=kernel'));
  const chart = page.getByTestId('timeline-chart');
  await expect(chart).toHaveAttribute('data-streams', SYNTHETIC.streams.join(' '), { timeout: 30_000 });
  const whole = await chart.getAttribute('data-from');
  expect(params(page).get('from')).toBeNull();
  // Drag the slider's left handle (ECharts' dataZoom, under the axis) to the right.
  const box = (await chart.boundingBox())!;
  const y = box.y + box.height - 15;
  await page.mouse.move(box.x + 121, y);
  await page.mouse.down();
  await page.mouse.move(box.x + 121 + 150, y, { steps: 5 });
  await page.mouse.up();
  await expect.poll(() => params(page).get('from')).not.toBeNull();
  expect(params(page).get('from')! > whole!).toBe(true);
  await expect(chart).toHaveAttribute('data-from', params(page).get('from')!);
  await shot(page, 'history-zoomed-1024x700');
});

test('reached line: the first commit on each stream at or past a version, linked to its diff; a bad version is named', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(app.at('#/history?name=kernel&reached=6.11'));
  const line = page.getByTestId('reached-line');
  await expect(line).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('reached-testing-devel')).toContainText(bumpToLatest.slice(0, 12));
  await expect(page.getByTestId('reached-testing-devel')).toContainText('6.11.4-201.fc40');
  await expect(page.getByTestId('reached-testing')).toContainText(promoted.slice(0, 12));
  await expect(page.getByTestId('reached-not-yet')).toContainText('stable');
  await expect(page.getByTestId('reached-stable')).toContainText('now 6.10.12-200.fc40');
  // 6.12.100 is rpm-newer than 6.12.99 (text order would say otherwise).
  await page.getByTestId('reached-input').fill('6.12.100');
  await page.getByTestId('reached-show').click();
  await expect(page.getByTestId('reached-testing-devel')).toContainText('6.12.100-100.fc41');
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  await shot(page, 'history-reached-1440x900');
  await page.getByTestId('reached-input').fill('6.12 rc');
  await page.getByTestId('reached-show').click();
  await expect(page.getByTestId('reached-error')).toContainText('"reached" version "6.12 rc"');
  // The link of a reached commit is that commit against its parent.
  await page.getByTestId('reached-input').fill('6.11');
  await page.getByTestId('reached-show').click();
  await page.getByTestId('reached-testing').getByRole('link').click();
  expect(Object.fromEntries(params(page))).toEqual({ from: `${promoted}^`, to: promoted });
  await expect(page.getByTestId('count-upgraded')).toBeVisible();
});

test("a row's commit id is a link to that commit against its parent, by keyboard too", async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(app.at('#/history?name=kernel&stream=testing-devel'));
  const link = page.getByTestId('history-commit-link').first();
  await expect(link).toBeVisible({ timeout: 30_000 });
  const head = await page.getByTestId('history-row').first().locator('.sha').getAttribute('title');
  expect(head).toMatch(/^[0-9a-f]{40}$/);
  await link.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('count-upgraded')).toBeVisible({ timeout: 30_000 });
  expect(Object.fromEntries(params(page))).toEqual({ from: `${head}^`, to: head });
  await expect(page.locator('body')).toContainText(`6.12.${BUMPS}-100.fc41`);
  // Back returns to the history with its question.
  await page.goBack();
  await expect(page.getByTestId('history-lane-testing-devel')).toHaveAttribute('aria-current', 'true', { timeout: 30_000 });
});

test("a chart point opens its commit against its parent: by a click on the point, and by keyboard through the chart's points", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(app.at('#/history?name=kernel'));
  const chart = page.getByTestId('timeline-chart');
  await expect(chart).toHaveAttribute('data-streams', SYNTHETIC.streams.join(' '), { timeout: 30_000 });
  // The points' links are drawn once their list is opened (thousands of them at 10×).
  const points = page.getByTestId('chart-point');
  await expect(points).toHaveCount(0);

  // By keyboard: Tab reaches the points' summary (after the chart's controls), Enter opens it,
  // Tab reaches the newest point, which shows its tooltip on the chart; Enter opens its diff.
  await page.getByTestId('zoom-all').focus();
  const summary = page.getByTestId('chart-points').locator('summary');
  for (let i = 0; i < 10 && !(await summary.evaluate((el) => el === el.ownerDocument.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(summary).toBeFocused();
  await page.keyboard.press('Enter');
  // Every point of every charted lane has its link: testing-devel's are its rows.
  await expect(points.and(page.locator('[data-stream="testing-devel"]'))).toHaveCount(BUMPS + 2);
  await expect(points.and(page.locator('[data-stream="testing"]'))).toHaveCount(2);
  // Opened, the points' links pass axe in both themes.
  expect(await seriousViolationsBothThemes(page, '[data-testid="chart-points"]')).toEqual([]);
  await summary.focus();
  await page.keyboard.press('Tab');
  const newest = points.first();
  await expect(newest).toBeFocused();
  const head = (await newest.getAttribute('data-commit'))!;
  expect(head).toMatch(/^[0-9a-f]{40}$/);
  await expect(chart).toContainText(head.slice(0, 12));
  await shot(page, 'history-chart-point-by-keyboard');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('count-upgraded')).toBeVisible({ timeout: 30_000 });
  expect(Object.fromEntries(params(page))).toEqual({ from: `${head}^`, to: head });
  await expect(page.locator('body')).toContainText(`6.12.${BUMPS}-100.fc41`);

  // By a click on the point itself (stable's only change, the import, written 6.10.12 above it): the same diff.
  await page.goto(app.at('#/history?name=kernel'));
  await expect(chart).toHaveAttribute('data-streams', SYNTHETIC.streams.join(' '), { timeout: 30_000 });
  // Its commit, read from its link (the list opened: it is drawn once opened).
  await summary.click();
  const imported = (await points.and(page.locator('[data-stream="stable"]')).getAttribute('data-commit'))!;
  // The change labels (10px; the bold end labels are 11px), top lane first: stable's is the third.
  const labels = await chart.locator('text', { hasText: /^6\.10\.12-200\.fc40$/ }).evaluateAll((els) =>
    els.filter((e) => e.getAttribute('style')?.includes('font-size: 10px')).map((e) => e.getBoundingClientRect() as { x: number; y: number; width: number; height: number }).map(({ x, y, width, height }) => ({ x, y, width, height })).sort((p, q) => p.y - q.y),
  );
  expect(labels).toHaveLength(SYNTHETIC.streams.length);
  // The version is written 4 px above its point (7 px wide): click under the label's middle.
  await page.mouse.click(labels[2].x + labels[2].width / 2, labels[2].y + labels[2].height + 6);
  await expect(page.getByTestId('diff-view')).toBeVisible({ timeout: 30_000 });
  expect(Object.fromEntries(params(page))).toEqual({ from: `${imported}^`, to: imported });
});
