/**
 * Capabilities 1-3 through the UI: clone over local smart HTTP with a progress bar → the
 * streams overview → the stable → testing-devel diff (counts, text filter, arch tabs, all
 * arches side by side, keyboard, details) → Copy as Markdown and Export JSON. It runs on a
 * synthetic repo always, and on the reference fixture when ../shared/fixtures is there.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { parse as parseYaml } from 'yaml';
import { FIXTURE_BUNDLE, HAVE_FIXTURE } from '../helpers/fixture';
import { startGitServer, type GitServer } from '../helpers/git-server';
import { shot, startApp, tempDir, type RunningApp } from './helpers/app';
import { expect, test } from './helpers/offline';
import { startSlowProxy, type SlowProxy } from './helpers/slow-proxy';
import { serveSyntheticRepo, SYNTHETIC } from './helpers/synthetic-repo';

let server: GitServer;
/** The synthetic repo is small: served slowly so its progress bar and Cancel can be watched. */
let slow: SlowProxy;
let app: RunningApp;
let syntheticBare: string;
let fixtureBare: string;

test.beforeAll(async () => {
  const root = tempDir('lockstep-e2e-srv-');
  syntheticBare = serveSyntheticRepo(root, 'fedora-coreos-config.git');
  fixtureBare = path.join(root, 'fcos.git');
  if (HAVE_FIXTURE) execFileSync('git', ['clone', '-q', '--bare', FIXTURE_BUNDLE, fixtureBare]);
  else console.warn(`\n*** SKIPPING the fixture half of clone-diff.spec.ts: ${FIXTURE_BUNDLE} is missing. The synthetic repo still covers the whole flow. ***\n`);
  server = await startGitServer({ root });
  slow = await startSlowProxy(server.url);
  app = await startApp();
});
test.afterAll(async () => {
  await app?.stop();
  await slow?.stop();
  await server?.stop();
});

/** Clones `url` from the welcome screen, checking the progress bar, and waits for the streams overview. */
async function cloneThroughUi(page: Page, url: string, shotName: string): Promise<void> {
  await page.goto(app.url);
  // The app may still have the previous test's clone open.
  await expect(page.getByTestId('welcome').or(page.getByTestId('switch-repo'))).toBeVisible();
  if (await page.getByTestId('switch-repo').isVisible()) await page.getByTestId('switch-repo').click();
  await expect(page.getByTestId('welcome')).toBeVisible();
  await page.getByTestId('clone-url').fill(url);
  // Every text the progress bar shows is recorded from before the click: a phase with object
  // counts may last only milliseconds once the pack is in (our index-pack is fast).
  // (A string: this file is type-checked for Node, the code runs in the page.)
  await page.evaluate(`(() => {
    window.__progress = [];
    new MutationObserver(() => {
      const objects = document.querySelector('[data-testid="progress-objects"]')?.textContent;
      const percent = document.querySelector('[data-testid="progress-percent"]')?.textContent;
      const phase = document.querySelector('[data-testid="progress-phase"]')?.textContent;
      if (objects) window.__progress.push((phase ?? '') + '|' + objects + '|' + (percent ?? ''));
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  })()`);
  await page.getByTestId('clone').click();
  const progress = page.getByTestId('progress');
  await expect(progress).toBeVisible();
  await expect(progress.getByTestId('cancel')).toBeVisible();
  // A clone long enough to watch: a named phase, objects loaded / total and a percent, seen
  // together. Read from the record: the bar may be gone by the time the poll looks.
  await expect
    .poll(async () => (((await page.evaluate('window.__progress')) as string[])).some((t) => /^\S[^|]*\|[\d,]+ \/ [\d,]+\|\d+%$/.test(t)), { timeout: 60_000 })
    .toBe(true);
  if (await progress.isVisible()) await shot(page, shotName);
  await expect(page.getByTestId('streams-table')).toBeVisible({ timeout: 150_000 });
}

async function openQuickDiff(page: Page) {
  await page.getByTestId('quick-diff').click();
  await expect(page).toHaveURL(/#\/diff\?from=stable&to=testing-devel$/);
  await expect(page.getByTestId('side-from')).toContainText('stable');
  await expect(page.getByTestId('side-to')).toContainText('testing-devel');
}

async function expectCounts(page: Page, c: { added: number; removed: number; upgraded: number; downgraded: number; arch_changed: number; packages: number }) {
  for (const k of ['added', 'removed', 'upgraded', 'downgraded', 'arch_changed'] as const) await expect(page.getByTestId(`count-${k}`)).toHaveText(String(c[k]));
  await expect(page.getByTestId('row-count')).toHaveText(`${c.packages} packages`);
}

const row = (page: Page, name: string) => page.locator(`[data-testid="change-row"][data-name="${name}"]`);

test('clone a synthetic repo through the UI and review stable → testing-devel', async ({ page }) => {
  // A cancelled clone says so inline and leaves nothing behind; cloning again works.
  await page.goto(app.url);
  await page.getByTestId('clone-url').fill(slow.repoUrl('fedora-coreos-config.git'));
  await page.getByTestId('clone').click();
  await expect(page.getByTestId('progress')).toBeVisible();
  await page.getByTestId('cancel').click();
  await expect(page.getByTestId('clone-cancelled')).toContainText('Clone cancelled');
  await expect(page.getByTestId('progress')).toHaveCount(0);
  await expect(page.getByTestId('recent-repo')).toHaveCount(0);

  await cloneThroughUi(page, slow.repoUrl('fedora-coreos-config.git'), '10-synthetic-clone-progress');

  // Streams overview: seven streams in stream order, counts, promotion lag.
  const rows = page.getByTestId('stream-row');
  await expect(rows).toHaveCount(SYNTHETIC.streams.length);
  for (const [i, name] of SYNTHETIC.streams.entries()) await expect(rows.nth(i).locator('strong')).toHaveText(name);
  const stream = (name: string) => page.locator(`[data-testid="stream-row"][data-stream="${name}"]`);
  await expect(stream('testing').getByTestId('behind')).toHaveText('1 behind testing-devel');
  await expect(stream('stable').getByTestId('behind')).toHaveText('1 behind testing');
  await expect(stream('next').getByTestId('behind')).toHaveText('up to date');
  await expect(stream('testing-devel').getByTestId('packages-x86_64')).toHaveText('36');
  await expect(stream('testing-devel').getByTestId('packages-s390x')).toHaveText('34');
  await expect(stream('testing-devel').getByTestId('fast-tracks')).toHaveText('1');
  await expect(stream('stable').getByTestId('pins')).toHaveText('1');
  await expect(stream('rawhide')).toContainText('overrides only');
  await expect(stream('testing-devel').getByTestId('stream-head')).toHaveAttribute('title', /^[0-9a-f]{40}\n/);
  await shot(page, '11-synthetic-streams');

  // Clicking a stream diffs it against its promotion source.
  await stream('stable').click();
  await expect(page).toHaveURL(/#\/diff\?from=stable&to=testing$/);
  await page.getByTestId('tab-streams').click();

  await openQuickDiff(page);
  await expectCounts(page, SYNTHETIC.all);
  const podman = row(page, 'podman');
  await expect(podman).toContainText(SYNTHETIC.podman.from);
  await expect(podman).toContainText(SYNTHETIC.podman.to);
  await expect(podman.getByTestId('override-badge')).toHaveText('fast-track');
  await expect(podman.getByTestId('override-badge')).toHaveAttribute('title', /manifest-lock\.overrides\.yaml/);
  await expect(row(page, 'crun')).toContainText('downgraded');
  await expect(row(page, 'bootc')).toContainText('added');
  await expect(row(page, 'nano-default-editor')).toContainText('removed');
  await expect(row(page, 'ostree-grub2')).toContainText('arch changed');
  // grub2-pc's pin names a package only x86_64 has: inert on the other arches, never "added".
  await expect(page.getByTestId('inert')).toContainText('s390x · inert on both sides');
  await expect(page.getByTestId('inert')).toContainText('grub2-pc');
  await expect(row(page, 'grub2-pc')).toHaveCount(0);
  await shot(page, '12-synthetic-diff-all-arches');

  // Filter by text: the kernel source's four binaries, under one group header.
  await page.getByTestId('diff-filter').fill('kernel');
  await expect(page.getByTestId('row-count')).toHaveText(`${SYNTHETIC.kernel.binaries} packages`);
  await expect(page.getByTestId('change-row')).toHaveCount(SYNTHETIC.kernel.binaries);
  await expect(page.locator('[data-testid="group-row"][data-source="kernel"]')).toContainText(`${SYNTHETIC.kernel.from} → ${SYNTHETIC.kernel.to}`);
  await expect(page).toHaveURL(/q=kernel/);

  // Per-arch tab.
  await page.getByTestId('arch-tab-aarch64').click();
  await expect(page).toHaveURL(/arch=aarch64/);
  await expect(page.getByTestId('change-row')).toHaveCount(SYNTHETIC.kernel.binaries);
  await expect(row(page, 'kernel-core')).toContainText(SYNTHETIC.kernel.to);
  await page.getByTestId('diff-filter').fill('');
  await expectCounts(page, SYNTHETIC.aarch64);
  await page.getByTestId('arch-tab-ppc64le').click();
  await expectCounts(page, SYNTHETIC.ppc64le);

  // All arches side by side: ostree-grub2 changed on two arches only.
  await page.getByTestId('arch-tab-all').click();
  await expect(page.locator('.list-head')).toContainText('x86_64aarch64ppc64les390x');
  await expect(row(page, 'kernel')).toContainText('all arches');
  await expect(row(page, 'ostree-grub2').locator('.absent')).toHaveCount(2);

  // Kind chips toggle visibility.
  await page.getByTestId('chip-upgraded').click();
  await expect(page.getByTestId('row-count')).toHaveText('4 packages');
  await page.getByTestId('chip-upgraded').click();
  await expect(page.getByTestId('row-count')).toHaveText(`${SYNTHETIC.all.packages} packages`);

  // Keyboard: j/k select, Enter opens the details, Escape closes, / focuses the filter.
  await page.getByTestId('diff-rows').focus();
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await page.keyboard.press('k');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('details')).toBeVisible();
  await expect(page.getByTestId('details-name')).toHaveText('bootc');
  await shot(page, '13-synthetic-diff-details');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('details')).toHaveCount(0);
  await page.keyboard.press('/');
  await expect(page.getByTestId('diff-filter')).toBeFocused();
  await page.keyboard.press('Escape');

  // Copy as Markdown: to the clipboard, with a visible confirmation.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByTestId('copy-md').click();
  await expect(page.getByTestId('copied')).toContainText('Copied');
  const md = (await page.evaluate('navigator.clipboard.readText()')) as string;
  expect(md).toContain('| Source package |');
  expect(md).toContain('kernel');
  expect(md).toContain(SYNTHETIC.kernel.to);

  // Export JSON: the CLI's documented shape plus the details.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  expect(download.suggestedFilename()).toBe('lockstep-diff_stable_testing-devel.json');
  const doc = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  expect(doc.diff.x86_64.upgraded.kernel).toEqual([SYNTHETIC.kernel.from, SYNTHETIC.kernel.to]);
  expect(doc.diff.s390x.added).toEqual({ bootc: '1.1.0-1.fc40' });
  expect(doc.from.input).toBe('stable');

  // The URL keeps the view: a reload restores it.
  await page.getByTestId('arch-tab-s390x').click();
  await page.getByTestId('diff-filter').fill('podman');
  await page.reload();
  await expect(page.getByTestId('arch-tab-s390x')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('diff-filter')).toHaveValue('podman');
  await expect(page.getByTestId('change-row')).toHaveCount(1);

  // Upstream moves testing-devel: Fetch shows progress, names the stream that moved, and the views reload.
  const work = path.join(tempDir('lockstep-e2e-push-'), 'w');
  execFileSync('git', ['clone', '-q', '-b', 'testing-devel', syntheticBare, work]);
  const lockPath = path.join(work, 'manifest-lock.x86_64.json');
  fs.writeFileSync(lockPath, fs.readFileSync(lockPath, 'utf8').replace('"evra": "5:5.2.4-1.fc40.x86_64"', '"evra": "5:5.2.6-1.fc40.x86_64"'));
  const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 'Bot', GIT_AUTHOR_EMAIL: 'bot@example.org', GIT_COMMITTER_NAME: 'Bot', GIT_COMMITTER_EMAIL: 'bot@example.org' };
  execFileSync('git', ['-C', work, 'commit', '-q', '-am', 'lockfiles: bump podman'], { env: gitEnv });
  execFileSync('git', ['-C', work, 'push', '-q', 'origin', 'testing-devel'], { env: gitEnv });
  const newHead = execFileSync('git', ['-C', work, 'rev-parse', 'HEAD']).toString().trim();
  await page.getByTestId('fetch').click();
  await expect(page.getByTestId('fetch-progress')).toBeVisible();
  await shot(page, '14-synthetic-fetch-progress');
  await expect(page.getByTestId('fetch-result')).toContainText('1 stream moved');
  await expect(page.getByTestId('moved-stream')).toContainText(`testing-devel`);
  await expect(page.getByTestId('moved-stream')).toContainText(newHead.slice(0, 7));
  await expect(page.getByTestId('side-to')).toContainText(newHead.slice(0, 10));
  await page.getByTestId('arch-tab-x86_64').click();
  await expect(row(page, 'podman')).toContainText('5:5.2.5-1.fc40');
  await shot(page, '15-synthetic-fetched');
  await page.getByTestId('tab-streams').click();
  await expect(page.locator('[data-stream="testing-devel"] [data-testid="stream-head"]')).toHaveText(newHead.slice(0, 10));
  await expect(page.locator('[data-stream="testing"] [data-testid="behind"]')).toHaveText('2 behind testing-devel');
});

test('clone the reference fixture through the UI and review stable → testing-devel', async ({ page }) => {
  test.skip(!HAVE_FIXTURE, `fixture missing: ${FIXTURE_BUNDLE} (the synthetic test above covers the flow)`);
  test.setTimeout(240_000);
  await cloneThroughUi(page, server.repoUrl('fcos.git'), '20-fixture-clone-progress');
  const rows = page.getByTestId('stream-row');
  await expect(rows).toHaveCount(7);
  for (const [i, name] of ['testing-devel', 'testing', 'stable', 'next-devel', 'next', 'rawhide', 'branched'].entries()) await expect(rows.nth(i).locator('strong')).toHaveText(name);
  await expect(page.locator('[data-stream="testing-devel"] [data-testid="packages-x86_64"]')).toHaveText('439');
  await shot(page, '21-fixture-streams');

  await openQuickDiff(page);
  await expectCounts(page, { added: 0, removed: 0, upgraded: 66, downgraded: 0, arch_changed: 0, packages: 66 });
  await shot(page, '22-fixture-diff-all-arches');
  await page.getByTestId('diff-filter').fill('kernel');
  await expect(page.getByTestId('row-count')).toHaveText('4 packages');
  await page.getByTestId('arch-tab-aarch64').click();
  await expect(row(page, 'kernel')).toContainText('6.11.4-201.fc40');
  await page.getByTestId('diff-filter').fill('');
  await expect(page.getByTestId('count-upgraded')).toHaveText('65');
  await shot(page, '23-fixture-diff-aarch64');
  await page.getByTestId('arch-tab-all').click();
  await expect(page.getByTestId('row-count')).toHaveText('66 packages');
  await page.getByTestId('diff-rows').focus();
  await page.keyboard.press('j');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('details')).toBeVisible();
  await page.keyboard.press('Escape');
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByTestId('copy-md').click();
  await expect(page.getByTestId('copied')).toBeVisible();
  expect((await page.evaluate('navigator.clipboard.readText()')) as string).toContain('kernel');

  // The Overrides board lists every override of every stream head: the set read here with git
  // and the yaml parser, file by file, is the set of rows.
  const expected: string[] = [];
  for (const stream of ['testing-devel', 'testing', 'stable', 'next-devel', 'next', 'rawhide', 'branched']) {
    const files = execFileSync('git', ['-C', fixtureBare, 'ls-tree', '--name-only', stream], { encoding: 'utf8' }).split('\n');
    for (const f of files) {
      const m = /^manifest-lock\.overrides(?:\.([^.]+))?\.yaml$/.exec(f);
      if (!m) continue;
      const doc = parseYaml(execFileSync('git', ['-C', fixtureBare, 'show', `${stream}:${f}`], { encoding: 'utf8' })) as { packages?: Record<string, unknown> | null };
      for (const name of Object.keys(doc.packages ?? {})) expected.push(`${stream} ${m[1] ?? 'all'} ${name}`);
    }
  }
  expect(expected.length).toBeGreaterThan(20);
  await page.getByTestId('tab-overrides').click();
  const boardRows = page.getByTestId('board-override');
  await expect(boardRows.first()).toBeVisible({ timeout: 30_000 });
  const shown = await boardRows.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-stream')} ${e.getAttribute('data-scope')} ${e.getAttribute('data-package')}`));
  expect(shown.sort()).toEqual(expected.sort());
  await shot(page, '24-fixture-overrides-board');
});
