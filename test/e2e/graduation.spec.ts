/**
 * Graduation over every stream in one view (the synthetic repo, rpm-md metadata served locally):
 * each stream's fast-tracks with their status, one action drafting a removal per stream, the
 * list and the drafts list refreshed after it, all by keyboard, and no serious axe violation.
 */
import AxeBuilder from '@axe-core/playwright';
import { overridesYaml } from '../helpers/repo-builder';
import { startRpmMd, type Served } from '../helpers/build-services';
import { shot, startApp, type RunningApp } from './helpers/app';
import { expect, test } from './helpers/offline';
import { buildSyntheticRepo } from './helpers/synthetic-repo';

let app: RunningApp;
let rpmmd: Served;
const BODHI = 'https://bodhi.fedoraproject.org/updates/FEDORA-2024-f0fd63c638';

test.beforeAll(async () => {
  // The stable update repos carry podman 5.2.6 (newer than the fast-tracked 5.2.5) and crun 1.18.
  rpmmd = await startRpmMd({ x86_64: ['podman-5:5.2.6-1.fc40.x86_64', 'crun-1.18-1.fc40.x86_64'] });
  const repo = buildSyntheticRepo();
  // testing gets fast-tracks of its own: podman and crun, both graduated.
  repo.checkout('testing');
  repo.commit('overrides: fast-track podman and crun', {
    'manifest-lock.overrides.yaml': overridesYaml({
      podman: { evr: '5:5.2.5-1.fc40', type: 'fast-track', bodhi: BODHI },
      crun: { evr: '1.17-1.fc40', type: 'fast-track', bodhi: BODHI },
    }),
  });
  repo.checkout('testing-devel');
  app = await startApp({ repo: repo.dir, settings: { graduationRepos: [`${rpmmd.url}/$basearch/`] } });
});
test.afterAll(async () => {
  await app?.stop();
  await rpmmd?.stop();
});

test('every stream in one view; one action drafts a removal per stream and the lists refresh', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(app.at('#/graduation'));
  // From the cache first (nothing cached: unknown), then the repos by keyboard.
  // testing-devel's podman fast-track reached next-devel and next too; stable, rawhide and branched have none.
  await expect(page.getByTestId('graduation-stream')).toHaveCount(4);
  await expect(page.locator('[data-stream="testing-devel"] [data-testid="graduation-row"]')).toHaveAttribute('data-status', 'unknown');
  await expect(page.getByTestId('graduation-draft')).toBeDisabled();
  await page.getByTestId('graduation-check').focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-stream="testing-devel"] [data-testid="graduation-row"]')).toHaveAttribute('data-status', 'graduated');
  await expect(page.locator('[data-stream="testing"] [data-testid="graduation-row"][data-status="graduated"]')).toHaveCount(2);
  await expect(page.getByTestId('graduation-none')).toContainText('stable');
  await expect(page.getByTestId('graduation-draft')).toHaveText('Draft removals on 4 streams');
  await shot(page, 'graduation-1024x700');
  expect((await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

  await page.getByTestId('graduation-draft').focus();
  await page.keyboard.press('Enter');
  const notice = page.getByTestId('graduation-drafted');
  await expect(notice).toContainText('Drafted 4 removals');
  await expect(notice).toContainText('testing-devel');
  // The list refreshed: each stream names its removal draft, and nothing is left to draft.
  await expect(page.getByTestId('graduation-existing')).toHaveCount(4);
  await expect(page.getByTestId('graduation-draft')).toHaveText('Nothing to draft');
  await expect(page.getByTestId('graduation-draft')).toBeDisabled();
  await page.setViewportSize({ width: 1920, height: 1080 });
  await shot(page, 'graduation-1920x1080');

  // The drafts list has both, as graduate drafts on their streams.
  await page.goto(app.at('#/drafts'));
  const rows = page.getByTestId('draft-row');
  await expect(rows).toHaveCount(4);
  await expect(rows.filter({ hasText: 'testing-devel' })).toHaveCount(1);
  await expect(page.locator('[data-testid="draft-row"] .badge.ov-graduate')).toHaveCount(4);
});
