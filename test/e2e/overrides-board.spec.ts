/**
 * The Overrides board on the synthetic repo plus a fast-track on next-devel only, a kernel
 * override in testing-devel's aarch64 file only, and two drafts (made by the CLI) touching crun
 * on testing-devel: every stream's overrides listed, each flag shown, filters kept in the URL,
 * no serious accessibility violation, screenshots at both sizes in both themes.
 */
import AxeBuilder from '@axe-core/playwright';
import { overridesYaml } from '../helpers/repo-builder';
import { lockstepCli, shot, startApp, type RunningApp } from './helpers/app';
import { expect, test } from './helpers/offline';
import { buildSyntheticRepo } from './helpers/synthetic-repo';

let app: RunningApp;
/** The commit that fast-tracked podman on testing-devel, and its date: the override's age counts from it. */
let podmanSince = { commit: '', date: '' };
const REASON = 'https://github.com/coreos/fedora-coreos-tracker/issues/9';
const GRUB_PIN = { 'grub2-pc': { evr: '1:2.12-4.fc40', type: 'pin' as const, reason: 'https://github.com/coreos/fedora-coreos-tracker/issues/1' } };
const PODMAN_FT = { podman: { evr: '5:5.2.5-1.fc40', type: 'fast-track' as const, bodhi: 'https://bodhi.fedoraproject.org/updates/FEDORA-2024-f0fd63c638', reason: 'https://github.com/coreos/fedora-coreos-tracker/issues/2' } };
/** Streams whose head has at least one override (rawhide's file was emptied). */
const WITH_OVERRIDES = ['testing-devel', 'testing', 'stable', 'next-devel', 'next', 'branched'];

test.beforeAll(async () => {
  const repo = buildSyntheticRepo();
  const [commit, date] = repo.git('log', '-1', '--format=%H %cI', '--grep=^overrides: fast-track podman', 'testing-devel').trim().split(' ');
  podmanSince = { commit, date };
  repo.checkout('next-devel');
  repo.commit('overrides: fast-track crun-1.17-1.fc40', {
    'manifest-lock.overrides.yaml': overridesYaml({ ...GRUB_PIN, ...PODMAN_FT, crun: { evr: '1.17-1.fc40', type: 'fast-track', bodhi: 'https://bodhi.fedoraproject.org/updates/FEDORA-2024-c1', reason: REASON } }),
  });
  repo.checkout('testing-devel');
  repo.commit('overrides: fast-track kernel on aarch64', { 'manifest-lock.overrides.aarch64.yaml': overridesYaml({ kernel: { evra: '6.11.5-200.fc40.aarch64', type: 'fast-track', reason: REASON } }) });
  const env = { GIT_AUTHOR_NAME: 'E2E', GIT_AUTHOR_EMAIL: 'e2e@example.org', GIT_COMMITTER_NAME: 'E2E', GIT_COMMITTER_EMAIL: 'e2e@example.org' };
  for (const evr of ['1.16.1-1.fc40', '1.17-1.fc40']) {
    const r = await lockstepCli(['pin', 'crun', evr, '--stream', 'testing-devel', '--type', 'pin', '--reason', REASON, '--repo', repo.dir], env);
    expect(r.status, r.stderr).toBe(0);
  }
  app = await startApp({ repo: repo.dir });
});
test.afterAll(async () => {
  await app?.stop();
});

test('the board lists the overrides of every stream, with inert, asymmetries and conflicts flagged; filters live in the URL', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(app.at('#/streams'));
  await page.getByTestId('tab-overrides').click();
  const rows = page.getByTestId('board-override');
  await expect(rows.first()).toBeVisible({ timeout: 30_000 });
  const streams = await rows.evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-stream')))]);
  expect(streams).toEqual(WITH_OVERRIDES);
  // grub2-pc is in x86_64's lockfile only: inert on the other arches.
  const grub = page.locator('[data-testid="board-override"][data-stream="testing-devel"][data-package="grub2-pc"]');
  await expect(grub.getByTestId('board-status')).toContainText('inert on aarch64, ppc64le, s390x');
  // A fast-track on next-devel that testing-devel lacks.
  const crun = page.locator('[data-testid="board-override"][data-stream="next-devel"][data-package="crun"]');
  await expect(crun.getByTestId('flag-stream-asymmetry')).toHaveText('not fast-tracked on testing-devel');
  // An aarch64-only override of a package every arch locks.
  const kernel = page.locator('[data-testid="board-override"][data-stream="testing-devel"][data-package="kernel"]');
  await expect(kernel.getByTestId('flag-arch-asymmetry')).toHaveText('only for aarch64; also locked on ppc64le, s390x, x86_64');
  // Each override's age: whole days since the commit that gave it its version, a link to that commit's diff.
  const podman = page.locator('[data-testid="board-override"][data-stream="testing-devel"][data-package="podman"]');
  const days = Math.floor((Date.now() - Date.parse(podmanSince.date)) / 86_400_000);
  const age = podman.getByTestId('board-age').getByRole('link');
  await expect(age).toHaveText(`${days} days`);
  await expect(age).toHaveAttribute('href', `#/diff?from=${podmanSince.commit}%5E&to=${podmanSince.commit}`);
  // Two open drafts touching crun on testing-devel: each is flagged.
  const drafts = page.getByTestId('board-draft');
  await expect(drafts).toHaveCount(2);
  for (const d of await drafts.all()) await expect(d.getByTestId('flag-conflict')).toContainText('conflict: drafts lockstep/testing-devel/crun-');
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)).toEqual([]);
  await shot(page, 'overrides-board-1440x900');

  // Filters: type, stream and name, kept in the URL across a reload.
  await page.getByTestId('board-type').selectOption('fast-track');
  await expect(rows.filter({ hasText: 'pin' })).toHaveCount(0);
  await page.getByTestId('board-stream').selectOption('next-devel');
  await expect(rows).toHaveCount(2);
  await page.getByTestId('board-name').fill('crun');
  await expect(rows).toHaveCount(1);
  await page.reload();
  await expect(rows).toHaveCount(1, { timeout: 30_000 });
  await expect(page.getByTestId('board-name')).toHaveValue('crun');
  // The package links to its history on that stream.
  await rows.first().getByRole('link', { name: 'crun' }).click();
  await expect(page.getByTestId('history-lane-next-devel')).toHaveAttribute('aria-current', 'true', { timeout: 30_000 });
});

for (const [w, h] of [
  [1440, 900],
  [1024, 700],
] as const) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`board at ${w}×${h}, ${scheme}: no serious accessibility violation, nothing cut`, async ({ page }) => {
      await page.setViewportSize({ width: w, height: h });
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(app.at('#/overrides'));
      await expect(page.getByTestId('board-override').first()).toBeVisible({ timeout: 30_000 });
      const axe = await new AxeBuilder({ page }).analyze();
      expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
      // The table scrolls inside its frame at worst: the page itself never scrolls sideways.
      expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
      await shot(page, `overrides-board-${w}x${h}-${scheme}`);
      await page.goto(app.at('#/history?name=kernel&reached=6.11'));
      await expect(page.getByTestId('reached-line')).toBeVisible({ timeout: 30_000 });
      const axe2 = await new AxeBuilder({ page }).analyze();
      expect(axe2.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
      await shot(page, `history-${w}x${h}-${scheme}`);
    });
  }
}
