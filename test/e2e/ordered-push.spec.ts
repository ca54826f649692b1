/**
 * Issue 14 item 4 on screen: drafts made together (one fix on three streams) pushed in order.
 * The forge is a GitHub stand-in on 127.0.0.1 whose checks turn green or red when this test
 * says so: the second draft waits, unpushed, while the first one's checks are pending; the
 * first turns green and the second goes; the second turns red and the third stops, saying why.
 */
import path from 'node:path';
import { startForge, type ForgeStandIn } from '../helpers/forge-stand-in';
import { createRepo, lockfileJson, overridesYaml } from '../helpers/repo-builder';
import { SHOTS, startApp, tempDir, type RunningApp } from './helpers/app';
import { expect, test } from './helpers/offline';
import { serveAndClone, type ServedRepo } from './helpers/served-repo';

const REASON = 'https://github.com/coreos/fedora-coreos-tracker/issues/1';
const STREAMS = ['testing-devel', 'next-devel', 'rawhide'];
let served: ServedRepo;
let forge: ForgeStandIn;
let app: RunningApp;
const drafts: { branch: string; head: string }[] = [];

test.beforeAll(async () => {
  const upstream = createRepo(path.join(tempDir('lockstep-e2e-src-'), 'src'));
  upstream.branch('testing-devel');
  upstream.commit('lockfiles: import', {
    'manifest-lock.x86_64.json': lockfileJson({ podman: { evra: '5:5.2.3-1.fc40.x86_64', sourcerpm: 'podman' } }),
    'manifest-lock.overrides.yaml': overridesYaml({}),
  });
  // Each stream at its own head, so the three drafts are three commits (their checks are told apart by commit).
  for (const [stream, bash] of [['next-devel', '5.2.26-3.fc40'], ['rawhide', '5.2.32-1.fc40']]) {
    upstream.branch(stream, 'testing-devel');
    upstream.commit('lockfiles: bump', { 'manifest-lock.x86_64.json': lockfileJson({ podman: { evra: '5:5.2.3-1.fc40.x86_64', sourcerpm: 'podman' }, bash: { evra: `${bash}.x86_64`, sourcerpm: 'bash' } }) });
  }
  // owner/name on the server, as the forge reads it from the remote URL.
  served = await serveAndClone(upstream, { name: 'coreos/fedora-coreos-config.git' });
  forge = await startForge();
  const clone = served.clone;
  for (const stream of STREAMS) {
    const out = await served.cli(['pin', 'podman', '5:5.2.5-1.fc40', '--stream', stream, '--type', 'pin', '--reason', REASON, '--repo', clone, '--json']);
    const j = JSON.parse(out) as { branch: string; commit: string };
    drafts.push({ branch: j.branch, head: j.commit });
  }
  expect(new Set(drafts.map((d) => d.head)).size).toBe(3);
  app = await startApp({ repo: clone, env: { LOCKSTEP_GITHUB_TOKEN: 'e2e-token', LOCKSTEP_GITHUB_API_URL: forge.url } });
});
test.afterAll(async () => {
  await app?.stop();
  await Promise.all([served?.stop(), forge?.stop()]);
});

test('push in order: each draft waits for the previous one\'s checks; a red check stops the rest with its reason', async ({ page }) => {
  await page.goto(app.at('#/drafts'));
  const group = page.getByTestId('made-together');
  await expect(group).toContainText('Made together: podman-5.2.5-1.fc40 on testing-devel, next-devel, rawhide');
  const state = (i: number) => group.locator(`[data-testid="ordered-row"][data-branch="${drafts[i].branch}"]`).getByTestId('ordered-state');
  await expect(state(0)).toHaveText('draft');

  await page.screenshot({ path: path.join(SHOTS, '83a-ordered-push-offer.png'), fullPage: true, animations: 'disabled' });
  // The second turns red when its turn comes (set now: the test drives every verdict).
  forge.setChecks(drafts[1].head, 'failure');
  const firstPolled = forge.polledOnce(drafts[0].head);
  await group.getByTestId('push-in-order').click();
  await firstPolled;
  // The list shows the queue's states: the first's checks pending, the others waiting their turn.
  const rows = page.getByTestId('draft-row');
  const row = (i: number) => rows.filter({ has: page.getByTestId('draft-link').getByText(drafts[i].branch, { exact: true }) });
  const rowState = (i: number) => row(i).getByTestId('draft-state');
  await expect(rowState(0)).toHaveText('checks pending');
  await expect(rowState(1)).toHaveText(`queued (after ${drafts[0].branch}: waits for its checks to pass)`);
  await expect(rowState(2)).toHaveText(`queued (after ${drafts[1].branch}: waits for its checks to pass)`);
  expect(forge.pulls.map((p) => p.base)).toEqual(['testing-devel']);
  await page.screenshot({ path: path.join(SHOTS, '83-ordered-push-waiting.png'), fullPage: true, animations: 'disabled' });

  // Green on the first: the second is pushed, goes red, and the third stops with the reason.
  forge.setChecks(drafts[0].head, 'success');
  await expect(rowState(0)).toHaveText('checks passed', { timeout: 40_000 });
  await expect(rowState(1)).toHaveText('checks failed: ci/jenkins', { timeout: 20_000 });
  await expect(rowState(2)).toHaveText(`cancelled: the checks of ${drafts[1].branch} failed (ci/jenkins), so this draft was not pushed`);
  expect(forge.pulls.map((p) => p.base)).toEqual(['testing-devel', 'next-devel']);
  // The stopped draft can be pushed again by hand.
  await expect(row(2).getByTestId('push')).toBeVisible();
  await page.screenshot({ path: path.join(SHOTS, '84-ordered-push-stopped.png'), fullPage: true, animations: 'disabled' });
});
