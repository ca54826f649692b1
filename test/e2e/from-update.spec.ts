/**
 * Issue 14 through the UI: paste a Bodhi update into the draft form, see its builds' binaries
 * per arch (Bodhi and Koji are stand-ins on 127.0.0.1), a preview on each of two target
 * streams, save one draft per stream, then the build-pool panel and a push that asks first
 * because a NEVRA is missing from the pool.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { startBodhi, startKoji, startRpmMd, type KojiRpm, type Served } from '../helpers/build-services';
import { startGitServer, type GitServer } from '../helpers/git-server';
import { createRepo, lockfileJson, overridesYaml } from '../helpers/repo-builder';
import { SHOTS, saveDraft, shot, startApp, tempDir, type RunningApp } from './helpers/app';
import { expect, test } from './helpers/offline';

const UPDATE = 'FEDORA-2024-0a1b2c3d4e';
const ARCHES = ['x86_64', 'aarch64', 's390x'];

const rpms = (version: string, release: string, epoch: number | null, spec: Record<string, string[]>): KojiRpm[] =>
  Object.entries(spec).flatMap(([name, arches]) => arches.map((arch) => ({ name, version, release, epoch, arch })));

// A build no lockfile has seen: noarch binaries, binaries on some arches only, an epoch, debuginfo.
const GRUB2 = rpms('2.12', '9.fc40', 1, {
  grub2: ['src'],
  'grub2-common': ['noarch'],
  'grub2-tools': ['x86_64', 'aarch64', 'ppc64le'],
  'grub2-pc': ['x86_64'],
  'grub2-efi-aa64': ['aarch64'],
  'grub2-tools-debuginfo': ['x86_64', 'aarch64'],
});
// bash 5.2.32: testing-devel already has it, testing does not (a fast-track there is promotion's job).
const BASH = rpms('5.2.32', '1.fc40', null, { bash: ['src', ...ARCHES] });
const BASH_UPDATE = 'FEDORA-2024-ba5b000001';
const PODMAN = rpms('5.2.5', '1.fc40', 5, { podman: ['src', 'x86_64', 'aarch64', 's390x', 'ppc64le'], 'podman-docker': ['noarch'] });

function lockfiles(bash = '5.2.26-3'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const arch of ARCHES) {
    const p: Record<string, { evra: string; sourcerpm: string }> = {
      podman: { evra: `5:5.2.3-1.fc40.${arch}`, sourcerpm: 'podman' },
      bash: { evra: `${bash}.fc40.${arch}`, sourcerpm: 'bash' },
    };
    if (arch !== 's390x') {
      p['grub2-common'] = { evra: '1:2.12-4.fc40.noarch', sourcerpm: 'grub2' };
      p['grub2-tools'] = { evra: `1:2.12-4.fc40.${arch}`, sourcerpm: 'grub2' };
    }
    if (arch === 'x86_64') p['grub2-pc'] = { evra: '1:2.12-4.fc40.x86_64', sourcerpm: 'grub2' };
    if (arch === 'aarch64') p['grub2-efi-aa64'] = { evra: '1:2.12-4.fc40.aarch64', sourcerpm: 'grub2' };
    out[`manifest-lock.${arch}.json`] = lockfileJson(p);
  }
  return out;
}

let bodhi: Served;
let koji: Served;
let pool: Served;
let server: GitServer;
let app: RunningApp;
let clone: string;

test.beforeAll(async () => {
  bodhi = await startBodhi([
    { alias: UPDATE, builds: ['grub2-2.12-9.fc40', 'podman-5.2.5-1.fc40'] },
    { alias: BASH_UPDATE, builds: ['bash-5.2.32-1.fc40'] },
  ]);
  koji = await startKoji({ 'grub2-2.12-9.fc40': GRUB2, 'podman-5.2.5-1.fc40': PODMAN, 'bash-5.2.32-1.fc40': BASH });
  // The pool has everything but aarch64's grub2-efi-aa64: its push must ask first.
  const wanted = (arch: string) =>
    [...GRUB2, ...PODMAN]
      .filter((r) => r.arch === arch || r.arch === 'noarch')
      .filter((r) => !(arch === 'aarch64' && r.name === 'grub2-efi-aa64'))
      .map((r) => `${r.name}-${r.epoch ? `${r.epoch}:` : ''}${r.version}-${r.release}.${r.arch}`);
  pool = await startRpmMd(Object.fromEntries(ARCHES.map((a) => [a, wanted(a)])));

  const src = createRepo(path.join(tempDir('lockstep-e2e-src-'), 'src'));
  src.branch('testing-devel');
  src.commit('lockfiles: import', { ...lockfiles(), 'manifest-lock.overrides.yaml': overridesYaml({}) });
  src.branch('stable', 'testing-devel');
  src.branch('next-devel', 'testing-devel');
  src.branch('testing', 'testing-devel');
  src.checkout('testing-devel');
  src.commit('lockfiles: bump bash', lockfiles('5.2.32-1'));
  const root = tempDir('lockstep-e2e-srv-');
  src.bareClone(path.join(root, 'config.git'));
  execFileSync('git', ['--git-dir', path.join(root, 'config.git'), 'symbolic-ref', 'HEAD', 'refs/heads/testing-devel']);
  server = await startGitServer({ root });
  clone = path.join(tempDir('lockstep-e2e-clone-'), 'fedora-coreos-config');
  // Cloned from the folder (a synchronous clone from this process's own server would deadlock), then pointed at the server for the push.
  execFileSync('git', ['clone', '-q', path.join(root, 'config.git'), clone]);
  execFileSync('git', ['-C', clone, 'remote', 'set-url', 'origin', server.repoUrl('config.git')]);

  app = await startApp({
    repo: clone,
    env: { LOCKSTEP_BODHI_URL: bodhi.url, LOCKSTEP_KOJI_URL: `${koji.url}/kojihub` },
    settings: { buildPoolRepos: [`${pool.url}/$basearch/`] },
  });
});
test.afterAll(async () => {
  await app?.stop();
  await Promise.all([bodhi?.stop(), koji?.stop(), pool?.stop(), server?.stop()]);
});

test('paste a Bodhi update, see its binaries per arch, save a fast-track on two streams, push after the pool check', async ({ page }) => {
  await page.goto(app.at('#/draft?stream=testing-devel'));
  await expect(page.getByTestId('target-next-devel')).toBeVisible();

  // An unknown update says so, and nothing is previewed.
  await page.getByTestId('build-source').fill('FEDORA-2024-ffffffffff');
  await expect(page.getByTestId('resolve-error')).toContainText('Bodhi has no update FEDORA-2024-ffffffffff');
  await expect(page.getByTestId('draft-preview')).toHaveCount(0);

  await page.getByTestId('build-source').fill(`https://bodhi.fedoraproject.org/updates/${UPDATE}`);
  await expect(page.getByTestId('resolving')).toBeVisible();
  const grub = page.locator('[data-testid="build"][data-nvr="grub2-2.12-9.fc40"]');
  await expect(grub.getByTestId('build-arch')).toHaveCount(4);
  await expect(grub.locator('[data-arch="aarch64"]')).toContainText('grub2-efi-aa64-1:2.12-9.fc40');
  await expect(grub.locator('[data-arch="noarch"]')).toContainText('grub2-common-1:2.12-9.fc40');
  await expect(grub.locator('[data-arch="x86_64"]')).not.toContainText('grub2-efi-aa64');
  // An update is a fast-track by default.
  await expect(page.getByTestId('action-fast-track')).toBeChecked();

  // One stream previews by itself; the other streams locking older versions are proposed
  // (not testing: promoted from testing-devel, which is chosen); adding one previews both.
  await expect(page.getByTestId('stream-preview')).toHaveCount(1);
  await expect(page.getByTestId('stream-proposal')).toHaveCount(2);
  await expect(page.locator('[data-testid="stream-proposal"][data-stream="next-devel"]')).toContainText('next-devel (');
  await expect(page.locator('[data-testid="stream-proposal"][data-stream="next-devel"]')).toContainText('locks an older grub2-common (1:2.12-4.fc40 on aarch64, x86_64)');
  await expect(page.locator('[data-testid="stream-proposal"][data-stream="next-devel"]')).toContainText('open a fast-track there too?');
  await expect(page.locator('[data-testid="stream-proposal"][data-stream="stable"]')).toBeVisible();
  await page.getByTestId('propose-next-devel').click();
  await expect(page.getByTestId('target-next-devel')).toBeChecked();
  await expect(page.getByTestId('stream-proposal')).toHaveCount(1);
  await expect(page.getByTestId('stream-preview')).toHaveCount(2);
  for (const stream of ['testing-devel', 'next-devel']) {
    const p = page.locator(`[data-testid="stream-preview"][data-stream="${stream}"]`);
    await expect(p).toHaveAttribute('data-ok', 'true');
    // Each arch gets exactly its binaries: grub2-efi-aa64 on aarch64 only, nothing of grub2 on s390x.
    await expect(p.locator('[data-testid="effect-row"][data-arch="aarch64"][data-name="grub2-efi-aa64"]')).toContainText('1:2.12-9.fc40.aarch64');
    await expect(p.locator('[data-testid="effect-row"][data-arch="x86_64"][data-name="grub2-efi-aa64"]')).toHaveCount(0);
    await expect(p.locator('[data-testid="effect-row"][data-arch="s390x"]')).toHaveCount(1);
    await expect(p.locator('[data-testid="effect-row"][data-arch="s390x"][data-name="podman"]')).toContainText('5:5.2.5-1.fc40.s390x');
    await expect(p.getByTestId('skipped')).toContainText('grub2-tools-debuginfo');
  }
  await expect(page.getByTestId('message')).toHaveValue(/^overrides: fast-track grub2-2\.12-9\.fc40, podman-5\.2\.5-1\.fc40/);
  // The build pool is checked with the preview, before anything is saved.
  const pool = page.locator('[data-testid="stream-preview"][data-stream="testing-devel"]').getByTestId('availability');
  await expect(pool.locator('[data-testid="availability-row"][data-status="missing"]')).toHaveCount(1);
  await expect(pool.locator('[data-testid="availability-row"][data-status="missing"]')).toContainText('grub2-efi-aa64-1:2.12-9.fc40.aarch64');
  await shot(page, '80-from-update-preview');

  // A change to the fields drops the previews (a save writes only what was previewed), then previews again.
  await page.getByTestId('action-pin').check();
  await expect(page.getByTestId('finding-error').first()).toContainText('reason');
  await expect(page.getByTestId('save-draft')).toBeDisabled();
  await page.getByTestId('action-fast-track').check();
  await expect(page.locator('[data-testid="stream-preview"][data-ok="true"]')).toHaveCount(2);

  await expect(page.getByTestId('save-draft')).toHaveText('Save drafts on 2 streams');
  await saveDraft(page);
  await expect(page.getByTestId('saved')).toContainText('lockstep/testing-devel/grub2-2.12-9.fc40');
  await expect(page.getByTestId('saved')).toContainText('lockstep/next-devel/grub2-2.12-9.fc40');
  await page.getByTestId('go-drafts').click();
  await expect(page.getByTestId('draft-row')).toHaveCount(2);

  // The build pool: one NEVRA is missing, so the push asks first.
  await page.locator('[data-testid="draft-link"]', { hasText: 'lockstep/testing-devel/' }).click();
  await expect(page.getByTestId('availability')).toBeVisible();
  await page.getByTestId('check-availability').click();
  await expect(page.locator('[data-testid="availability-row"][data-status="missing"]')).toHaveCount(1);
  await expect(page.locator('[data-testid="availability-row"][data-status="missing"]')).toContainText('grub2-efi-aa64-1:2.12-9.fc40.aarch64');
  await expect(page.getByTestId('availability-summary')).toContainText('1 of');
  await shot(page, '81-from-update-availability');
  // The question is a dialog naming what is missing; Cancel keeps the draft unpushed.
  await page.getByTestId('push').click();
  await expect(page.getByTestId('missing-dialog-nevras')).toContainText('grub2-efi-aa64-1:2.12-9.fc40.aarch64');
  await page.getByTestId('missing-dialog-cancel').click();
  await expect(page.getByTestId('info-note')).toContainText('Push cancelled');
  await expect(page.getByTestId('info-state')).toHaveText('draft');
  await page.getByTestId('push').click();
  await expect(page.getByTestId('missing-dialog-nevras')).toContainText('grub2-efi-aa64-1:2.12-9.fc40.aarch64');
  await page.getByTestId('missing-dialog-confirm').click();
  await expect(page.getByTestId('info-state')).toHaveText('pushed');
  await expect(page.getByTestId('draft-info')).toContainText('override-testing-devel-grub2-2.12-9.fc40');
});

test('a fast-track on testing is flagged when testing-devel already carries it, naming its commit; next-devel is proposed', async ({ page }) => {
  const head = execFileSync('git', ['-C', clone, 'rev-parse', 'origin/testing-devel'], { encoding: 'utf8' }).trim();
  await page.goto(app.at('#/draft?stream=testing'));
  await expect(page.getByTestId('target-testing')).toBeChecked();
  await page.getByTestId('build-source').fill(BASH_UPDATE);
  const preview = page.locator('[data-testid="stream-preview"][data-stream="testing"]');
  await expect(preview).toHaveAttribute('data-ok', 'true');
  const notice = preview.getByTestId('promotion-notice');
  await expect(notice).toHaveText(`testing-devel (${head.slice(0, 7)}) already carries bash 5.2.32-1.fc40: this will be part of the promotion to testing, so this fast-track isn't necessary`);
  await expect(notice).toHaveAttribute('data-commit', head);
  await expect(page.getByTestId('advice-warning')).toContainText('Promotion already brings this to testing');
  // Flagged, not refused: the draft can still be saved.
  await expect(page.getByTestId('save-draft')).toBeEnabled();
  // testing-devel has it, stable is promoted from the chosen testing: only next-devel is proposed.
  await expect(page.getByTestId('stream-proposal')).toHaveCount(1);
  await expect(page.locator('[data-testid="stream-proposal"][data-stream="next-devel"]')).toContainText('locks an older bash (5.2.26-3.fc40 on aarch64, s390x, x86_64)');
  await notice.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SHOTS, '82-from-update-promotion-notice.png'), animations: 'disabled' });
  await page.getByTestId('propose-next-devel').click();
  await expect(page.locator('[data-testid="stream-preview"][data-ok="true"]')).toHaveCount(2);
  await expect(page.locator('[data-testid="stream-preview"][data-stream="next-devel"]').getByTestId('promotion-notice')).toHaveCount(0);
  await expect(page.getByTestId('stream-proposal')).toHaveCount(0);
});

test('a fast-track on testing-devel, which already locks the build, asks "did you mean a pin?" in its preview', async ({ page }) => {
  await page.goto(app.at('#/draft?stream=testing-devel'));
  await expect(page.getByTestId('target-testing-devel')).toBeChecked();
  await page.getByTestId('build-source').fill(BASH_UPDATE);
  const preview = page.locator('[data-testid="stream-preview"][data-stream="testing-devel"]');
  const ask = preview.getByTestId('fast-track-not-newer');
  await expect(ask).toContainText('already lock bash (5.2.32-1.fc40 on aarch64, s390x, x86_64)');
  await expect(ask).toContainText('did you mean a pin?');
  await expect(page.getByTestId('advice-warning')).toContainText('testing-devel already locks this version or newer: a pin?');
  await ask.scrollIntoViewIfNeeded();
  await shot(page, '83-from-update-did-you-mean-a-pin');
  // As a pin, nothing is asked.
  await page.getByTestId('action-pin').check();
  await expect(preview.getByTestId('fast-track-not-newer')).toHaveCount(0);
});
