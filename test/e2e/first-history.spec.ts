/**
 * The first history on a fresh clone (SPEC §5): the lane shown is answered as soon as its own
 * stream is indexed, never after every stream's index. The other streams' indexing is held on
 * the index's writer lock, which the test takes before the app starts and lets go of itself:
 * while it is held, testing-devel's rows and lane are drawn with "indexing 6 of 7 streams"; once
 * it goes, the other lanes come. The chart is drawn meanwhile too, though every change of this
 * history falls on one day. The CLI's `history` indexes the one stream it is asked about.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { lockfileJson } from '../helpers/repo-builder';
import { ROOT, shot, startApp, type RunningApp } from './helpers/app';
import { expect, test } from './helpers/offline';
import { buildSyntheticRepo, SYNTHETIC } from './helpers/synthetic-repo';

let app: RunningApp | undefined;
test.afterAll(async () => {
  await app?.stop();
});

const heads = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.head')) : []);

test("the lane shown is drawn while the other streams' indexes are held, and their lanes come after", async ({ page }) => {
  const repo = buildSyntheticRepo();
  repo.checkout('testing-devel');
  for (let i = 1; i <= 20; i++) {
    const kernel = Object.fromEntries(['kernel', 'kernel-core'].map((b) => [b, { evra: `6.12.${i}-100.fc41.x86_64`, sourcerpm: 'kernel' }]));
    repo.commit(`lockfiles: kernel bump ${i}`, { 'manifest-lock.x86_64.json': lockfileJson(kernel) });
  }
  const index = path.join(repo.gitdir, 'lockstep', 'history3');

  // The CLI indexes testing-devel alone: no other stream is built first.
  execFileSync(process.execPath, [path.join(ROOT, 'dist/main/cli.cjs'), 'history', 'kernel', '--stream', 'testing-devel', '--repo', repo.dir], { stdio: 'pipe' });
  expect(heads(index)).toHaveLength(1);

  // The gate: while the test holds the writer lock, no other stream's index can be written.
  const lock = path.join(index, '.lock');
  fs.mkdirSync(lock);
  try {
    app = await startApp({ repo: repo.dir });
    await page.goto(app.at('#/history?name=kernel'));
    await expect(page.getByTestId('history-row').first()).toContainText('6.12.20-100.fc41.x86_64', { timeout: 30_000 });
    await expect(page.getByTestId('history-indexing')).toContainText(`indexing ${SYNTHETIC.streams.length - 1} of ${SYNTHETIC.streams.length} streams`);
    await expect(page.locator('.lane-tabs .tab')).toHaveCount(1);
    await expect(page.getByTestId('history-lane-testing-devel')).toBeVisible();
    // The lanes there are: one toggle each above the chart.
    await expect(page.locator('[data-testid^="chart-toggle-"]')).toHaveCount(1);
    // The chart itself is drawn meanwhile, though every change of this history falls on one day
    // (2024-01-02): its script is not held up behind the other streams' calls waiting on the lock.
    const chart = page.getByTestId('timeline-chart');
    await expect(chart).toHaveAttribute('data-streams', 'testing-devel');
    // Its end label: the lane's current version, written by ECharts into its drawing.
    await expect(chart.locator('svg text', { hasText: /^6\.12\.20-100\.fc41$/ })).toBeVisible();
    // The toolbox's icons (small stroked paths) keep clear of the lane's name.
    const name = chart.locator('svg text', { hasText: /^testing-devel$/ });
    await expect(name).toBeVisible();
    const overlapping = await name.evaluate((text) => {
      const a = text.getBoundingClientRect();
      return [...text.ownerSVGElement!.querySelectorAll('path')].filter((p) => {
        const b = p.getBoundingClientRect();
        const small = b.width < 30 && b.height < 30;
        return small && b.left < a.right && a.left < b.right && b.top < a.bottom && a.top < b.bottom;
      }).length;
    });
    expect(overlapping, 'toolbox icons over the first lane name').toBe(0);
    // Drawn while every other stream's index is still to be built.
    expect(heads(index)).toHaveLength(1);
    await shot(page, 'history-first-lane-while-indexing');
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }

  // The lock gone, each other stream is indexed and its lane added; the note goes with the last.
  await expect(page.locator('[data-testid^="chart-toggle-"]')).toHaveCount(SYNTHETIC.streams.length, { timeout: 60_000 });
  await expect(page.getByTestId('history-indexing')).toHaveCount(0);
  await expect(page.getByTestId('timeline-chart')).toHaveAttribute('data-current', /testing-devel=6\.12\.20-100\.fc41( |$)/);
  expect(heads(index)).toHaveLength(SYNTHETIC.streams.length);
  // The lane shown stayed the one asked for first.
  await expect(page.getByTestId('history-lane-testing-devel')).toHaveAttribute('aria-current', 'true');
  await expect(page.getByTestId('history-row').first()).toContainText('6.12.20-100.fc41.x86_64');
});
