import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { createRepo, lockfileJson, overridesYaml, type RepoBuilder } from '../helpers/repo-builder';
import { saveDraft, shot, startApp, tempDir, type RunningApp } from './helpers/app';
import { expect, test } from './helpers/offline';
import { serveAndClone, type ServedRepo } from './helpers/served-repo';

// A draft's life on screen (issue 10): push, the stream moves on the server, fetch → stale,
// rebase → needs push, push again → the same remote branch at the rebased commit; and the
// discard of a push that waits for the network.
const REASON = 'https://github.com/coreos/fedora-coreos-tracker/issues/1';
let app: RunningApp;
let upstream: RepoBuilder;
let served: ServedRepo;
const serverGit = (...args: string[]) => served.serverGit(...args);

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

test('push, stale after a fetch, rebase, push again: the PR branch follows; a queued push is discarded', async ({ page }) => {
  const branch = 'lockstep/stable/podman-5.2.5-1.fc40';
  const remoteBranch = 'override-stable-podman-5.2.5-1.fc40';
  await page.goto(app.at('#/drafts'));
  const row = page.getByTestId('draft-row').filter({ hasText: branch });
  await expect(row.getByTestId('draft-state')).toHaveText('draft');
  await shot(page, '80-lifecycle-draft');
  // The draft's changes: the diff of its branch against the stream commit it was drafted on.
  const changes = row.getByTestId('draft-changes');
  await expect(changes).toHaveText('Changes vs base');
  await expect(changes).toHaveAttribute('href', new RegExp(`^#/diff\\?from=[0-9a-f]{40}&to=${encodeURIComponent(branch).replace(/[.]/g, '\\.')}$`));
  // The row's actions stand apart (they ran together as one phrase: "Effect Push for CI Discard").
  const [changesBox, pushBox] = [await changes.boundingBox(), await row.getByTestId('push').boundingBox()];
  expect(pushBox!.x - (changesBox!.x + changesBox!.width)).toBeGreaterThanOrEqual(8);

  // Push: queued, then pushed; the server has the branch at the draft's commit.
  await row.getByTestId('push').click();
  await expect(row.getByTestId('draft-state')).toHaveText('pushed');
  const first = serverGit('rev-parse', `refs/heads/${remoteBranch}`);
  expect(first).toBe(served.cloneGit('rev-parse', branch));
  await expect(row.getByTestId('push')).toHaveCount(0);
  await shot(page, '81-lifecycle-pushed');

  // The stream moves on the server; fetch from the top bar: the draft is stale.
  upstream.checkout('stable');
  const moved = upstream.commit('lockfiles: bump', { 'README.md': 'moved\n' });
  served.pushUpstream('stable');
  await page.getByTestId('fetch').click();
  await expect(row.getByTestId('stale')).toBeVisible();
  await expect(page.getByTestId('stale-drafts')).toHaveText('1 draft is stale now: rebase before pushing');
  await expect(row.getByTestId('push')).toHaveCount(0);
  await shot(page, '82-lifecycle-stale');

  // Rebase: based on the new head, and it needs a push to update its PR.
  await row.getByTestId('rebase').click();
  await expect(row.getByTestId('needs-push')).toBeVisible();
  await expect(row.getByTestId('stale')).toHaveCount(0);
  // The fetch's notice ("1 draft is stale now") is no longer true: it clears.
  await expect(page.getByTestId('fetch-result')).toHaveCount(0);
  await expect(row.getByTestId('draft-state')).toContainText('draft');
  expect(served.cloneGit('rev-parse', `${branch}^`)).toBe(moved);
  await shot(page, '83-lifecycle-rebased-needs-push');

  // Push again: the same remote branch, now at the rebased commit.
  await row.getByTestId('push').click();
  await expect(row.getByTestId('draft-state')).toHaveText('pushed');
  await expect(row.getByTestId('needs-push')).toHaveCount(0);
  const rebased = served.cloneGit('rev-parse', branch);
  expect(serverGit('rev-parse', `refs/heads/${remoteBranch}`)).toBe(rebased);
  expect(rebased).not.toBe(first);
  await shot(page, '84-lifecycle-pushed-again');

  // Someone else commits on the PR branch; the stream moves; fetch, rebase, push: refused, and
  // the branch keeps the other commit.
  const work = path.join(tempDir('lockstep-e2e-w-'), 'w');
  const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 'Bob', GIT_AUTHOR_EMAIL: 'bob@example.org', GIT_COMMITTER_NAME: 'Bob', GIT_COMMITTER_EMAIL: 'bob@example.org' };
  execFileSync('git', ['clone', '-q', '-b', remoteBranch, served.served, work], { env: gitEnv });
  execFileSync('git', ['-C', work, 'commit', '-q', '--allow-empty', '-m', 'a reviewer fixup'], { env: gitEnv });
  execFileSync('git', ['-C', work, 'push', '-q', 'origin', remoteBranch], { env: gitEnv });
  const foreign = serverGit('rev-parse', `refs/heads/${remoteBranch}`);
  upstream.checkout('stable');
  upstream.commit('lockfiles: bump again', { 'README.md': 'moved again\n' });
  served.pushUpstream('stable');
  await page.getByTestId('fetch').click();
  await expect(row.getByTestId('stale')).toBeVisible();
  await row.getByTestId('rebase').click();
  await expect(row.getByTestId('needs-push')).toBeVisible();
  await row.getByTestId('push').click();
  await expect(row.getByTestId('draft-state')).toContainText(`branch ${remoteBranch} is at ${foreign.slice(0, 12)}, not at`);
  // The GUI user is told what to do in the GUI, never a command-line flag.
  await expect(row.getByTestId('draft-state')).toHaveAttribute('title', /push under another branch name/);
  await expect(row.getByTestId('draft-state')).not.toHaveAttribute('title', /--remote-branch/);
  expect(serverGit('rev-parse', `refs/heads/${remoteBranch}`)).toBe(foreign);
  await shot(page, '84b-lifecycle-foreign-commit-refused');
  // Discard: the local draft goes, the server keeps the other commit.
  await row.getByTestId('discard').click();
  // The remote branch holds someone else's commit: left unticked, it stays.
  await expect(page.getByTestId('discard-delete-remote')).not.toBeChecked();
  await page.getByTestId('discard-dialog-confirm').click();
  await expect(row).toHaveCount(0);
  expect(serverGit('rev-parse', `refs/heads/${remoteBranch}`)).toBe(foreign);

  // Offline: a new draft's push waits in the queue with its reason and retry time; discard it.
  served.server.setDown(true);
  await served.cli(['pin', 'kernel', '6.10.2-200.fc40', '--stream', 'stable', '--type', 'pin', '--reason', REASON, '--repo', served.clone]);
  await page.reload();
  const queued = page.getByTestId('draft-row').filter({ hasText: 'kernel-6.10.2-200.fc40' });
  await queued.getByTestId('push').click();
  await expect(queued.getByTestId('draft-state')).toContainText('queued · retry at');
  // The reason is on screen beside the retry time, not only on hover.
  await expect(queued.getByTestId('draft-state')).toHaveText(/^queued · retry at \d{1,2}:\d{2}:\d{2}( [AP]M)?: \S.{8,}/);
  await expect(queued.getByTestId('retry-now')).toBeVisible();
  await expect(queued.getByTestId('cancel-push')).toBeVisible();
  await shot(page, '85-lifecycle-queued-offline');
  await queued.getByTestId('discard').click();
  await expect(page.getByTestId('discard-dialog')).toContainText('Its push is cancelled.');
  await page.getByTestId('discard-dialog-confirm').click();
  await expect(queued).toHaveCount(0);
  served.server.setDown(false);
  expect(serverGit('branch', '--list', 'override-stable-kernel-*')).toBe('');
  expect(served.cloneGit('branch', '--list', 'lockstep/stable/kernel-*')).toBe('');
  await shot(page, '86-lifecycle-discarded');
});

test('an unpin drafted in the form, pushed while the server is down, goes out with "Retry now"', async ({ page }) => {
  // Upstream pins kernel on testing-devel; the app fetches it.
  upstream.checkout('testing-devel');
  upstream.commit('overrides: pin kernel', { 'manifest-lock.overrides.yaml': overridesYaml({ kernel: { evr: '6.10.1-200.fc40', type: 'pin', reason: REASON } }) });
  served.pushUpstream('testing-devel');
  await page.goto(app.at('#/streams'));
  await page.getByTestId('fetch').click();
  await expect(page.getByText(/Fetched: 1 stream moved/)).toBeVisible();

  await page.goto(app.at('#/draft?stream=testing-devel&type=unpin&name=kernel'));
  await expect(page.getByTestId('action-unpin')).toBeChecked();
  await page.getByTestId('preview').click();
  const preview = page.locator('[data-testid="stream-preview"][data-stream="testing-devel"]');
  await expect(preview).toHaveAttribute('data-ok', 'true');
  await saveDraft(page);
  await expect(page.getByTestId('saved')).toContainText('lockstep/testing-devel/kernel-6.10.1-200.fc40');
  const branch = /Saved (\S+)\./.exec((await page.getByTestId('saved').textContent())!)![1];
  const text = served.cloneGit('show', `${branch}:manifest-lock.overrides.yaml`);
  expect(text).not.toContain('kernel');

  served.server.setDown(true);
  await page.goto(app.at('#/drafts'));
  const row = page.getByTestId('draft-row').filter({ hasText: branch });
  await row.getByTestId('push').click();
  await expect(row.getByTestId('draft-state')).toContainText('queued · retry at');
  served.server.setDown(false);
  await row.getByTestId('retry-now').click();
  await expect(row.getByTestId('draft-state')).toHaveText('pushed');
  expect(serverGit('branch', '--list', 'override-testing-devel-kernel-*')).toContain('override-testing-devel-kernel-6.10.1-200.fc40');
  await shot(page, '87-lifecycle-unpin-retried');
});
