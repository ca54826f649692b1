/**
 * The accessibility audit in the states that matter (issue 27 item 5): axe (no serious or
 * critical violation, light and dark) and the keyboard (every control reached by Tab with its
 * focus shown, nothing that answers only a click, a modal dialog keeps Tab inside) on the drafts
 * list holding a draft in every state (draft, pushed, stale with conflicting drafts and a
 * redraft offered, edited by hand, a failed push queued for retry), the draft info panel, every
 * confirm dialog (Discard with and without its tick box, "missing from the build pool"), the
 * welcome screen, the credentials prompt and the identity prompt. History, drawn, is audited
 * with every screen in screens-audit.spec.
 */
import path from 'node:path';
import type { Page } from '@playwright/test';
import { startRpmMd, type Served } from '../helpers/build-services';
import { startGitServer, type GitServer } from '../helpers/git-server';
import { createRepo, lockfileJson, overridesYaml, type RepoBuilder } from '../helpers/repo-builder';
import { shot, startApp, tempDir, type RunningApp } from './helpers/app';
import { auditProblems } from './helpers/audit';
import { expect, test } from './helpers/offline';
import { serveAndClone, type ServedRepo } from './helpers/served-repo';

const REASON = 'https://github.com/coreos/fedora-coreos-tracker/issues/1';
const LOCK = lockfileJson({
  podman: { evra: '5:5.2.3-1.fc40.x86_64', sourcerpm: 'podman' },
  kernel: { evra: '6.10.1-200.fc40.x86_64', sourcerpm: 'kernel' },
  crun: { evra: '1.17-1.fc40.x86_64', sourcerpm: 'crun' },
  bash: { evra: '5.2.26-3.fc40.x86_64', sourcerpm: 'bash' },
  zincati: { evra: '0.0.29-1.fc40.x86_64', sourcerpm: 'rust-zincati' },
});

test.describe.configure({ mode: 'serial' });

let upstream: RepoBuilder;
let served: ServedRepo;
let pool: Served;
let app: RunningApp;
const branch = {
  draft: 'lockstep/testing-devel/crun-1.18-1.fc40',
  pushed: 'lockstep/testing-devel/podman-5.2.5-1.fc40',
  stale: 'lockstep/stable/kernel-6.10.2-200.fc40',
  conflicting: 'lockstep/stable/kernel-6.10.3-200.fc40',
  edited: 'lockstep/testing-devel/bash-5.2.32-1.fc40',
  queued: 'lockstep/testing-devel/rust-zincati-0.0.30-1.fc40',
};

test.beforeAll(async () => {
  upstream = createRepo(path.join(tempDir('lockstep-e2e-src-'), 'src'));
  upstream.branch('stable');
  upstream.commit('lockfiles: import', { 'manifest-lock.x86_64.json': LOCK, 'manifest-lock.overrides.yaml': overridesYaml({}) });
  upstream.branch('testing-devel', 'stable');
  served = await serveAndClone(upstream, { name: 'coreos/fedora-coreos-config.git' });
  const pin = (name: string, evr: string, stream: string) => served.cli(['pin', name, evr, '--stream', stream, '--type', 'pin', '--reason', REASON, '--repo', served.clone]);
  await pin('crun', '1.18-1.fc40', 'testing-devel');
  await pin('podman', '5:5.2.5-1.fc40', 'testing-devel');
  await served.cli(['push', branch.pushed, '--repo', served.clone]);
  await pin('kernel', '6.10.2-200.fc40', 'stable');
  await pin('kernel', '6.10.3-200.fc40', 'stable');
  await pin('bash', '5.2.32-1.fc40', 'testing-devel');
  await pin('zincati', '0.0.30-1.fc40', 'testing-devel');
  // Someone amends a draft's branch by hand: Lockstep shows it "edited" and offers to adopt it.
  const tree = served.cloneGit('rev-parse', `${branch.edited}^{tree}`);
  const amended = served.cloneGit('commit-tree', tree, '-p', `${branch.edited}^`, '-m', 'overrides: pin bash (amended by hand)');
  served.cloneGit('update-ref', `refs/heads/${branch.edited}`, amended);
  // The build pool holds none of the drafted packages: a push asks first.
  pool = await startRpmMd({ x86_64: [] });
  app = await startApp({ repo: served.clone, settings: { buildPoolRepos: [`${pool.url}/$basearch/`] } });
});
test.afterAll(async () => {
  await app?.stop();
  await Promise.all([served?.stop(), pool?.stop()]);
});

const row = (page: Page, b: string) => page.getByTestId('draft-row').filter({ has: page.getByTestId('draft-link').getByText(b, { exact: true }) });

test('the drafts list with a draft in every state, and each of its dialogs', async ({ page }) => {
  const problems: string[] = [];
  // Someone else fast-tracks kernel on stable: both kernel drafts are stale, and one's rebase conflicts.
  upstream.checkout('stable');
  upstream.commit('overrides: fast-track kernel', {
    'manifest-lock.overrides.yaml': overridesYaml({ kernel: { evr: '6.10.4-200.fc40', type: 'fast-track', bodhi: 'https://bodhi.fedoraproject.org/updates/FEDORA-2024-9', reason: REASON } }),
  });
  served.pushUpstream('stable');
  await page.goto(app.at('#/drafts'));
  await page.getByTestId('fetch').click();
  await expect(row(page, branch.stale).getByTestId('stale')).toBeVisible();
  await row(page, branch.stale).getByTestId('rebase').click();
  await expect(row(page, branch.stale).getByTestId('redraft')).toBeVisible();

  // A push while the server is down: the pool's question first (a dialog), then queued for retry.
  served.server.setDown(true);
  await row(page, branch.queued).getByTestId('push').click();
  const missing = page.getByTestId('missing-dialog');
  await expect(missing).toBeVisible();
  await expect(page.getByTestId('missing-dialog-nevras')).toContainText('zincati-0.0.30-1.fc40.x86_64');
  await expect(page.getByTestId('missing-dialog-cancel')).toBeFocused();
  problems.push(...(await auditProblems(page, 'missing-from-pool dialog', '[data-testid="missing-dialog"]')));
  await shot(page, 'audit-missing-dialog');
  await page.getByTestId('missing-dialog-confirm').click();
  await expect(row(page, branch.queued).getByTestId('draft-state')).toContainText('queued · retry at');

  // Every state on one screen.
  const state = (b: string) => row(page, b).getByTestId('draft-state');
  await expect(state(branch.draft)).toHaveAttribute('data-state', 'draft');
  await expect(state(branch.pushed)).toHaveAttribute('data-state', 'pushed');
  await expect(row(page, branch.pushed).getByTestId('pr-link')).toBeVisible();
  await expect(row(page, branch.conflicting).getByTestId('stale')).toBeVisible();
  await expect(row(page, branch.conflicting).getByTestId('conflicts-with')).toBeVisible();
  await expect(state(branch.edited)).toHaveAttribute('data-state', 'edited');
  await expect(row(page, branch.edited).getByTestId('adopt')).toBeVisible();
  await expect(state(branch.queued)).toHaveAttribute('data-state', 'queued');
  await expect(row(page, branch.queued).getByTestId('retry-now')).toBeVisible();
  await shot(page, 'audit-drafts-every-state');
  problems.push(...(await auditProblems(page, 'drafts (every state)')));

  // Discard, with its tick box (pushed) and without (never pushed); Escape gives the focus back.
  for (const [b, tick] of [
    [branch.pushed, 1],
    [branch.draft, 0],
  ] as const) {
    const discard = row(page, b).getByTestId('discard');
    await discard.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('discard-dialog-cancel')).toBeFocused();
    await expect(page.getByTestId('discard-delete-remote')).toHaveCount(tick);
    problems.push(...(await auditProblems(page, `discard dialog of ${b}`, '[data-testid="discard-dialog"]')));
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('discard-dialog')).toHaveCount(0);
    await expect(discard).toBeFocused();
  }

  // The draft info panel: pushed (its PR page), queued, edited.
  for (const b of [branch.pushed, branch.queued, branch.edited]) {
    await page.goto(app.at(`#/draft-info?branch=${encodeURIComponent(b)}`));
    await expect(page.getByTestId('info-state')).toBeVisible();
    await expect(page.getByTestId('availability')).toBeVisible();
    problems.push(...(await auditProblems(page, `draft info of ${b}`)));
  }
  await shot(page, 'audit-draft-info');
  served.server.setDown(false);
  expect(problems).toEqual([]);
});

test('the welcome screen and the credentials prompt', async ({ page }) => {
  const root = tempDir('lockstep-e2e-auth-');
  const repo = createRepo(path.join(tempDir('lockstep-e2e-src-'), 'src'));
  repo.branch('testing-devel');
  repo.commit('lockfiles: import', { 'manifest-lock.x86_64.json': LOCK, 'manifest-lock.overrides.yaml': overridesYaml({}) });
  repo.bareClone(path.join(root, 'private.git'));
  const server: GitServer = await startGitServer({ root, auth: { username: 'ada', password: 'right-token' } });
  const fresh = await startApp();
  try {
    const problems: string[] = [];
    await page.goto(fresh.url);
    await expect(page.getByTestId('welcome')).toBeVisible();
    await expect(page.getByTestId('recent')).toBeVisible();
    problems.push(...(await auditProblems(page, 'welcome')));
    await page.getByTestId('clone-url').fill(server.repoUrl('private.git'));
    await page.getByTestId('clone').click();
    const prompt = page.getByTestId('credential-prompt');
    await expect(prompt).toBeVisible();
    await expect(page.getByTestId('cred-username')).toBeFocused();
    problems.push(...(await auditProblems(page, 'credentials prompt', '[data-testid="credential-prompt"]')));
    // Rejected once: the prompt says so, and is audited again.
    await page.getByTestId('cred-username').fill('ada');
    await page.getByTestId('cred-password').fill('wrong-token');
    await page.getByTestId('cred-submit').click();
    await expect(page.getByTestId('credential-rejected')).toBeVisible();
    problems.push(...(await auditProblems(page, 'credentials prompt, rejected', '[data-testid="credential-prompt"]')));
    await shot(page, 'audit-credentials-rejected');
    expect(problems).toEqual([]);
    // Escape (from where the walk left the focus, inside) cancels.
    await page.keyboard.press('Escape');
    await expect(prompt).toHaveCount(0);
  } finally {
    await fresh.stop();
    await server.stop();
  }
});

test('the identity prompt', async ({ page }) => {
  const noIdentity = await startApp({ identity: false });
  try {
    await page.goto(noIdentity.url);
    await page.getByTestId('open-demo').click();
    await expect(page.getByTestId('stream-row')).toHaveCount(6);
    await page.goto(noIdentity.at('#/draft?name=zincati&stream=testing-devel'));
    await page.getByTestId('action-fast-track').check();
    await page.getByTestId('pkg-evr').fill('0.0.30-1.fc40');
    await page.getByTestId('bodhi').fill('https://bodhi.fedoraproject.org/updates/FEDORA-2024-0123456789');
    await page.getByTestId('preview').click();
    await expect(page.getByTestId('stream-preview')).toHaveCount(1);
    await expect(page.getByTestId('identity-form')).toBeVisible();
    await shot(page, 'audit-identity');
    expect(await auditProblems(page, 'identity prompt')).toEqual([]);
  } finally {
    await noIdentity.stop();
  }
});
