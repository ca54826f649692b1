/**
 * Promotion as an action (issue 23): "Draft promotion" on the streams screen makes the draft
 * that is then pushed as a branch; the promotion view separates what the promotion carries
 * from what stays per stream, lists the drafts still open on the source, and its line diffs
 * show every line (wrapped, never off screen) at 1024×700 and 1920×1080, unified or side by side.
 */
import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import type { Page } from '@playwright/test';
import { oraclePromotion, promotionRepo } from '../helpers/promotion-repo';
import type { RepoBuilder } from '../helpers/repo-builder';
import { shot, startApp, WINDOW_SIZES, type RunningApp } from './helpers/app';
import { expect, test } from './helpers/offline';
import { serveAndClone, type ServedRepo } from './helpers/served-repo';

const REASON = 'https://github.com/coreos/fedora-coreos-tracker/issues/9';
const LONG = `# ${'a long comment that must wrap inside its column '.repeat(6)}\nurl: https://example.org/${'x'.repeat(300)}\n`;

// Each test builds on the one before (the draft, its push, the merge): a failure skips the rest.
test.describe.configure({ mode: 'serial' });

let app: RunningApp;
let upstream: RepoBuilder;
let served: ServedRepo;
let clone: string;
const git = (dir: string, ...args: string[]) => execFileSync('git', ['--git-dir', dir, ...args]).toString().trim();

test.beforeAll(async () => {
  upstream = promotionRepo('2026').repo;
  upstream.commit('tests: a long line', { 'tests/kola/basic/long.yaml': LONG });
  served = await serveAndClone(upstream);
  clone = served.clone;
  // A draft still open on the source: the promotion view lists it as not carried.
  await served.cli(['pin', 'bash', '5.2.32-1.fc41', '--stream', 'testing-devel', '--type', 'pin', '--reason', REASON, '--repo', clone]);
  app = await startApp({ repo: clone });
});
test.afterAll(async () => {
  await app?.stop();
  await served?.stop();
});

test('"Draft promotion" on the streams screen makes the promotion, pushed as a branch', async ({ page }) => {
  await page.goto(app.at('#/streams'));
  const row = page.locator('[data-testid="stream-row"][data-stream="testing"]');
  await expect(row.getByTestId('behind')).toHaveText(/^\d+ behind testing-devel$/);
  await shot(page, '90-promotion-streams');
  await row.getByTestId('draft-promotion-testing').click();
  await expect(page).toHaveURL(/#\/draft-info\?branch=lockstep%2Ftesting%2Fpromote-testing-devel-/);
  const source = git(clone, 'rev-parse', 'refs/remotes/origin/testing-devel');
  await expect(page.getByTestId('info-promotion')).toContainText('testing-devel at');
  await expect(page.locator('pre.message')).toHaveText(`tree: promote changes from testing-devel at ${source}\n`);
  const branch = `lockstep/testing/promote-testing-devel-${source.slice(0, 12)}`;
  // Tree for tree what release engineering's script makes.
  expect(git(clone, 'rev-parse', `${branch}^{tree}`)).toBe(oraclePromotion(upstream, 'testing-devel', 'testing'));
  await shot(page, '91-promotion-draft');

  await page.getByTestId('push').click();
  await expect(page.getByTestId('info-state')).toHaveText('pushed');
  const remoteBranch = `override-testing-promote-testing-devel-${source.slice(0, 12)}`;
  expect(served.serverGit('rev-parse', `refs/heads/${remoteBranch}`)).toBe(git(clone, 'rev-parse', branch));
  await shot(page, '92-promotion-pushed');
});

/** Lines of the line diffs that cannot be seen: outside the window, cut by their box, or covered. */
async function hiddenLines(page: Page): Promise<string[]> {
  const lines = page.getByTestId('diff-line');
  const n = await lines.count();
  expect(n).toBeGreaterThan(10);
  const hidden: string[] = [];
  const width = page.viewportSize()!.width;
  for (let i = 0; i < n; i++) {
    const line = lines.nth(i);
    await line.scrollIntoViewIfNeeded();
    // `any`: the e2e tsconfig has no DOM types; this runs in the page.
    const r = await line.evaluate((el: any) => {
      const b = el.getBoundingClientRect();
      const text = el.querySelector('.ld-text');
      const t = text.getBoundingClientRect();
      const hit = (globalThis as any).document.elementFromPoint(t.left + Math.min(8, t.width / 2), t.top + Math.min(6, t.height / 2));
      return { left: b.left as number, right: b.right as number, textRight: t.right as number, cut: text.scrollWidth > text.clientWidth + 1, hit: !!hit && el.contains(hit), text: text.textContent as string | null };
    });
    if (r.left < 0 || r.right > width + 1 || r.textRight > width + 1 || r.cut || !r.hit) hidden.push(`${i}: ${r.text?.slice(0, 40)} ${JSON.stringify(r)}`);
  }
  return hidden;
}

for (const [w, h] of WINDOW_SIZES) {
  test(`at ${w}×${h}, the promotion view carries packages and other files, keeps three per-stream files, and shows every diff line`, async ({ page }) => {
    await page.setViewportSize({ width: w, height: h });
    await page.goto(app.at('#/diff?from=testing&to=testing-devel'));
    const head = page.getByTestId('promotion-head');
    await expect(head).toContainText('Promotion testing-devel → testing');
    await expect(page.getByTestId('promotion-subject')).toHaveText(/^tree: promote changes from testing-devel at [0-9a-f]{40}$/);
    await expect(page.getByTestId('promotion-drafts')).toContainText('lockstep/testing/promote-testing-devel-');
    await expect(page.getByTestId('open-source-drafts')).toContainText('1 draft is still open on testing-devel');
    await expect(page.getByTestId('copy-md')).toHaveText('Copy release notes');
    await expect(page.getByTestId('change-row').first()).toBeVisible();

    await page.getByTestId('tab-other-files').click();
    const deny = page.locator('[data-testid="other-file"][data-path="kola-denylist.yaml"]');
    await expect(deny).toContainText('# snooze: 2024-10-30 (disabled on promotion)');
    // manifest.yaml stays the target's: not carried.
    await expect(page.locator('[data-testid="other-file"][data-path="manifest.yaml"]')).toHaveCount(0);
    const closed = page.locator('[data-testid="other-file"]:not([open]) > summary');
    while ((await closed.count()) > 0) await closed.first().click();
    for (const layout of ['unified', 'split'] as const) {
      await page.getByTestId(`diff-layout-${layout}`).click();
      expect(await hiddenLines(page), layout).toEqual([]);
      await shot(page, `93-promotion-other-files-${layout}-${w}x${h}`);
    }
    let axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);

    await page.getByTestId('tab-kept').click();
    await expect(page).toHaveURL(/show=kept/);
    const kept = page.getByTestId('kept-file');
    await expect(kept).toHaveCount(3);
    await expect(kept.nth(0)).toContainText('testing keeps its own');
    await expect(page.locator('[data-testid="kept-file"][data-path="build-args.conf"]')).toContainText('STREAM=testing');
    await expect(page.locator('[data-testid="kept-file"][data-path="kola-denylist.yaml"]')).toContainText('6 lines disabled');
    expect(await hiddenLines(page)).toEqual([]);
    await shot(page, `94-promotion-kept-${w}x${h}`);
    axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
    await page.getByTestId('diff-layout-unified').click();
  });
}

test('once the promotion is merged, the view says there is nothing to promote and offers no draft', async ({ page }) => {
  const pushed = served.serverGit('for-each-ref', '--format=%(objectname)', 'refs/heads/override-testing-*');
  expect(pushed).toMatch(/^[0-9a-f]{40}$/);
  // As if the PR was merged: the server's testing is the promotion.
  served.serverGit('update-ref', 'refs/heads/testing', pushed);
  await page.goto(app.at('#/streams'));
  await page.getByTestId('fetch').click();
  const row = page.locator('[data-testid="stream-row"][data-stream="testing"]');
  await expect(row.getByTestId('behind')).toHaveText('up to date');
  await expect(row.getByTestId('draft-promotion-testing')).toHaveCount(0);
  await page.goto(app.at('#/diff?from=testing&to=testing-devel'));
  await expect(page.getByTestId('nothing-to-promote')).toContainText('Nothing to promote: testing already has');
  await expect(page.getByTestId('promotion-head').getByRole('button', { name: 'Draft promotion' })).toHaveCount(0);
  await shot(page, '95-promotion-nothing');
});
