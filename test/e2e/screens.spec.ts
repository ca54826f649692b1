/**
 * Every screen at the smallest and a large window, light and dark: axe-core finds no serious or
 * critical violation, and a screenshot of each is kept (test-artifacts/screenshots/screen-*).
 * Also the streams grouping (release streams first, other branches in a collapsible group in
 * natural order), hide/show from the UI, and the settings screen applied without a restart.
 */
import type { Page } from '@playwright/test';
import { lockfileJson } from '../helpers/repo-builder';
import { shot, startApp, type RunningApp } from './helpers/app';
import { keyboardProblems, seriousViolations } from './helpers/audit';
import { expect, test } from './helpers/offline';
import { buildSyntheticRepo } from './helpers/synthetic-repo';

let app: RunningApp;

test.beforeAll(async () => {
  const repo = buildSyntheticRepo();
  // Long-lived branches outside the promotion chain, named so plain string order would be wrong.
  for (const name of ['rhcos-4.10', 'rhcos-4.6']) {
    repo.branch(name, repo.rev('testing-devel'));
    repo.commit(`${name}: lockfiles`, { 'manifest-lock.x86_64.json': lockfileJson({ bash: { evra: '5.2.26-3.el8.x86_64', sourcerpm: 'bash' } }) });
  }
  repo.checkout('testing-devel');
  app = await startApp({ repo: repo.dir });
});
test.afterAll(async () => {
  await app?.stop();
});

const SCREENS: { name: string; hash: string; ready: (p: Page) => Promise<void> }[] = [
  { name: 'streams', hash: '#/streams', ready: (p) => expect(p.getByTestId('streams-table')).toBeVisible() },
  { name: 'diff', hash: '#/diff?from=stable&to=testing-devel', ready: (p) => expect(p.getByTestId('count-upgraded')).toBeVisible() },
  {
    name: 'history',
    hash: '#/history?name=kernel&reached=6.11',
    // Drawn, not loading: the rows, the chart's lanes written by ECharts, the reached line.
    ready: async (p) => {
      await expect(p.getByTestId('history-row').first()).toBeVisible({ timeout: 30_000 });
      await expect(p.getByTestId('timeline-chart').locator('svg text', { hasText: /^testing-devel$/ })).toBeVisible();
      await expect(p.getByTestId('reached-line')).toBeVisible();
    },
  },
  { name: 'drafts', hash: '#/drafts', ready: (p) => expect(p.getByTestId('new-draft')).toBeVisible() },
  { name: 'draft-form', hash: '#/draft?stream=testing-devel&name=podman', ready: (p) => expect(p.getByTestId('pkg-name')).toHaveValue('podman') },
  { name: 'editor', hash: '#/edit', ready: (p) => expect(p.locator('.monaco-editor').first()).toBeVisible({ timeout: 30_000 }) },
  { name: 'overrides', hash: '#/overrides', ready: (p) => expect(p.getByTestId('board-override').first()).toBeVisible() },
  { name: 'graduation', hash: '#/graduation', ready: (p) => expect(p.getByTestId('graduation-stream').first()).toBeVisible() },
  { name: 'settings', hash: '#/settings', ready: (p) => expect(p.getByTestId('save-settings')).toBeVisible() },
];

for (const [w, h] of [
  [1024, 700],
  [1920, 1080],
] as const) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`every screen at ${w}×${h}, ${scheme}: no serious accessibility violation`, async ({ page }) => {
      await page.setViewportSize({ width: w, height: h });
      await page.emulateMedia({ colorScheme: scheme });
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      for (const s of SCREENS) {
        await page.goto(app.at(s.hash));
        await s.ready(page);
        await page.waitForTimeout(150);
        if (scheme === 'light' || w === 1024) await shot(page, `screen-${s.name}-${w}x${h}${scheme === 'dark' ? '-dark' : ''}`);
        for (const v of await seriousViolations(page)) problems.push(`${s.name}: ${v}`);
      }
      expect(problems).toEqual([]);
    });
  }
}

test('streams: release streams first, other branches grouped in natural order, hidden and shown from the UI', async ({ page }) => {
  await page.goto(app.at('#/streams'));
  const rows = page.getByTestId('stream-row');
  await expect(rows).toHaveCount(7);
  await page.getByTestId('toggle-other-streams').click();
  await expect(rows).toHaveCount(9);
  await expect(rows.nth(7)).toHaveAttribute('data-stream', 'rhcos-4.6');
  await expect(rows.nth(8)).toHaveAttribute('data-stream', 'rhcos-4.10');
  await page.getByTestId('hide-rhcos-4.6').click();
  await expect(rows).toHaveCount(8);
  await expect(page.getByTestId('hidden-note')).toContainText('rhcos-4.6');
  await page.getByTestId('show-rhcos-4.6').click();
  await expect(rows).toHaveCount(9);
});

test('settings: validated as typed, saved and applied without a restart', async ({ page }) => {
  await page.goto(app.at('#/settings'));
  await page.getByTestId('set-concurrency').fill('0');
  await expect(page.getByTestId('problem-set-concurrency')).toContainText('1 to 8');
  await expect(page.getByTestId('save-settings')).toBeDisabled();
  await page.getByTestId('set-concurrency').fill('3');
  await page.getByTestId('set-pool').fill('not a url');
  await expect(page.getByTestId('problem-set-pool')).toContainText('not an http(s) URL');
  await page.getByTestId('set-pool').fill('https://pool.example.org/$basearch/');
  await page.getByTestId('set-streams-add').fill('');
  await page.getByTestId('save-settings').click();
  await expect(page.getByTestId('settings-note')).toHaveText('Saved and applied.');
  await page.reload();
  await expect(page.getByTestId('set-concurrency')).toHaveValue('3');
  await expect(page.getByTestId('set-pool')).toHaveValue('https://pool.example.org/$basearch/');
  // Hiding a stream from settings applies to the streams view at once.
  await page.goto(app.at('#/streams'));
  await page.getByTestId('hide-next').click();
  await page.goto(app.at('#/settings'));
  await expect(page.getByTestId('hidden-streams')).toContainText('next');
  await page.getByTestId('unhide-next').click();
  await page.getByTestId('save-settings').click();
  await expect(page.getByTestId('settings-note')).toHaveText('Saved and applied.');
  await page.goto(app.at('#/streams'));
  await expect(page.locator('[data-testid="stream-row"][data-stream="next"]')).toHaveCount(1);

  // The GitHub token: where it would be kept, what is in use; a paste gone wrong is refused unquoted.
  await page.goto(app.at('#/settings'));
  const token = page.getByTestId('github-token');
  await token.scrollIntoViewIfNeeded();
  await expect(token.getByTestId('github-token-status')).toHaveAttribute('data-source', 'none');
  await expect(token).toContainText("kept in git's credential helper");
  await token.getByTestId('set-github-token').fill('ghp_two words');
  await token.getByTestId('save-github-token').click();
  await expect(token.getByTestId('github-token-note')).toContainText('not a GitHub token');
  await expect(token.getByTestId('github-token-note')).not.toContainText('ghp_two');
  await expect(token.getByTestId('set-github-token')).toHaveValue('');
  await shot(page, 'settings-github-token');
});

// Every control on every screen is reached by Tab, in the order the page gives, and shows where
// the focus is; nothing answers a click that no key reaches (helpers/audit.ts).
test('every screen: each control is reached by Tab and shows its focus, and nothing answers only a click', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  const problems: string[] = [];
  for (const s of SCREENS) {
    await page.goto(app.at(s.hash));
    await s.ready(page);
    await page.waitForTimeout(150);
    problems.push(...(await keyboardProblems(page, s.name)));
  }
  expect(problems).toEqual([]);
});
