import AxeBuilder from '@axe-core/playwright';
import path from 'node:path';
import { createRepo, lockfileJson, overridesYaml, type RepoBuilder } from '../helpers/repo-builder';
import { shot, startApp, tempDir, type RunningApp } from './helpers/app';
import { emulateScheme } from './helpers/audit';
import { expect, test } from './helpers/offline';
import { serveAndClone, type ServedRepo } from './helpers/served-repo';

// The last mile on screen (issue 22): a double-clicked Save makes one draft, the form warns of
// another draft touching the same package before saving, and a pushed draft whose rebase
// conflicts is redrafted in place and re-pushed to the same remote branch.
const REASON = 'https://github.com/coreos/fedora-coreos-tracker/issues/1';
let app: RunningApp;
let upstream: RepoBuilder;
let served: ServedRepo;
const serverGit = (...args: string[]) => served.serverGit(...args);
const localRef = (ref: string) => served.cloneGit('rev-parse', ref);
const draftBranches = () => served.cloneGit('for-each-ref', '--format=%(refname:short)', 'refs/heads/lockstep').split('\n').filter(Boolean);

test.beforeAll(async () => {
  upstream = createRepo(path.join(tempDir('lockstep-e2e-src-'), 'src'));
  upstream.branch('stable');
  upstream.commit('lockfiles: import', {
    'manifest-lock.x86_64.json': lockfileJson({ podman: { evra: '5:5.2.3-1.fc40.x86_64', sourcerpm: 'podman' }, kernel: { evra: '6.10.1-200.fc40.x86_64', sourcerpm: 'kernel' } }),
    'manifest-lock.overrides.yaml': overridesYaml({}),
  });
  upstream.branch('testing-devel', 'stable');
  served = await serveAndClone(upstream);
  await served.cli(['pin', 'podman', '5:5.2.5-1.fc40', '--stream', 'stable', '--type', 'pin', '--reason', REASON, '--repo', served.clone]);
  app = await startApp({ repo: served.clone });
});
test.afterAll(async () => {
  await app?.stop();
  await served?.stop();
});

test('the form warns of a draft touching the same package, and a double-clicked Save makes one draft', async ({ page }) => {
  await page.goto(app.at('#/draft?stream=stable&name=podman&evr=5:5.2.4-1.fc40&type=pin'));
  await page.getByTestId('reason').fill(REASON);
  await page.getByTestId('preview').click();
  await expect(page.getByTestId('preview-conflicts')).toContainText('lockstep/stable/podman-5.2.5-1.fc40');
  await shot(page, '90-last-mile-conflict-warning');
  const before = draftBranches().length;
  await page.getByTestId('save-draft').dblclick();
  await expect(page.getByTestId('saved')).toContainText('lockstep/stable/podman-5.2.4-1.fc40');
  expect(draftBranches().length).toBe(before + 1);
  // Both drafts carry the conflict in the list.
  await page.getByTestId('go-drafts').click();
  const row = (branch: string) => page.getByTestId('draft-row').filter({ has: page.getByTestId('draft-link').getByText(branch, { exact: true }) });
  await expect(row('lockstep/stable/podman-5.2.4-1.fc40').getByTestId('conflicts-with')).toHaveText('conflicts with lockstep/stable/podman-5.2.5-1.fc40');
  await expect(row('lockstep/stable/podman-5.2.5-1.fc40').getByTestId('conflicts-with')).toHaveText('conflicts with lockstep/stable/podman-5.2.4-1.fc40');
  await shot(page, '91-last-mile-conflicts-listed');
  await row('lockstep/stable/podman-5.2.4-1.fc40').getByTestId('discard').click();
  // Never pushed: nothing remote to ask about.
  await expect(page.getByTestId('discard-delete-remote')).toHaveCount(0);
  await page.getByTestId('discard-dialog-confirm').click();
  await expect(row('lockstep/stable/podman-5.2.4-1.fc40')).toHaveCount(0);
  await expect(row('lockstep/stable/podman-5.2.5-1.fc40').getByTestId('conflicts-with')).toHaveCount(0);
});

test('a pushed draft whose rebase conflicts is redrafted in place and re-pushed to the same remote branch', async ({ page }) => {
  const branch = 'lockstep/stable/podman-5.2.5-1.fc40';
  const remoteBranch = 'override-stable-podman-5.2.5-1.fc40';
  await page.goto(app.at('#/drafts'));
  const row = page.getByTestId('draft-row').filter({ has: page.getByTestId('draft-link').getByText(branch, { exact: true }) });
  await row.getByTestId('push').click();
  await expect(row.getByTestId('draft-state')).toHaveText('pushed');
  const first = serverGit('rev-parse', `refs/heads/${remoteBranch}`);

  // Someone else fast-tracks podman on stable; fetched, the draft is stale and its rebase conflicts.
  upstream.checkout('stable');
  upstream.commit('overrides: fast-track podman-5.2.6-1.fc40', {
    'manifest-lock.overrides.yaml': overridesYaml({ podman: { evr: '5:5.2.6-1.fc40', type: 'fast-track', bodhi: 'https://bodhi.fedoraproject.org/updates/FEDORA-2024-9', reason: REASON } }),
  });
  served.pushUpstream('stable');
  await page.getByTestId('fetch').click();
  await expect(row.getByTestId('stale')).toBeVisible();
  await row.getByTestId('rebase').click();
  await expect(page.getByTestId('rebase-result')).toContainText('Redraft on the new head');
  await expect(row.getByTestId('redraft')).toBeVisible();
  await shot(page, '92-last-mile-rebase-conflict');

  await row.getByTestId('redraft').click();
  await expect(row.getByTestId('needs-push')).toBeVisible();
  await expect(row.getByTestId('stale')).toHaveCount(0);
  expect(localRef(`${branch}^`)).toBe(serverGit('rev-parse', 'refs/heads/stable'));
  await row.getByTestId('push').click();
  await expect(row.getByTestId('draft-state')).toHaveText('pushed');
  const second = serverGit('rev-parse', `refs/heads/${remoteBranch}`);
  expect(second).toBe(localRef(branch));
  expect(second).not.toBe(first);
  await shot(page, '93-last-mile-redrafted-pushed');

  // Discard with the remote branch: a dialog whose focus starts on Cancel, Escape gives it back.
  const discard = row.getByTestId('discard');
  await discard.click();
  const dialog = page.getByTestId('discard-dialog');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('discard-dialog-cancel')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(discard).toBeFocused();
  expect(serverGit('rev-parse', `refs/heads/${remoteBranch}`)).toBe(second);
  await discard.click();
  await page.getByTestId('discard-delete-remote').check();
  for (const scheme of ['dark', 'light'] as const) {
    await emulateScheme(page, scheme);
    const audit = await new AxeBuilder({ page }).include('[data-testid="discard-dialog"]').analyze();
    expect(audit.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  }
  await shot(page, '94-last-mile-discard-with-remote');
  await page.getByTestId('discard-dialog-confirm').click();
  await expect(row).toHaveCount(0);
  expect(serverGit('branch', '--list', remoteBranch)).toBe('');
});
