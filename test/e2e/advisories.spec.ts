/**
 * Issue 24 through the UI: the Advisories screen (Bodhi's list API and Koji are stand-ins on
 * 127.0.0.1) groups a CVE missing on two streams of two Fedora releases, and its one action
 * opens the draft form with each stream's own release's update, previewed and saved as one
 * fast-track per stream; the search box answers carries; the streams screen counts.
 */
import path from 'node:path';
import { startKoji, type KojiRpm, type Served } from '../helpers/build-services';
import { startBodhiList, type BodhiStandIn } from '../helpers/bodhi-list';
import { createRepo, lockfileJson, overridesYaml } from '../helpers/repo-builder';
import { saveDraft, shot, startApp, tempDir, type RunningApp } from './helpers/app';
import { expect, test } from './helpers/offline';

const CVE = 'CVE-2026-1001';
const SSH41 = 'FEDORA-2026-5511000001';
const SSH42 = 'FEDORA-2026-5542000001';
const ssh = (version: string, release: string): KojiRpm[] => ['src', 'x86_64'].flatMap((arch) => ['openssh', 'openssh-clients'].filter((n) => arch !== 'src' || n === 'openssh').map((name) => ({ name, version, release, epoch: null, arch })));
const lock = (openssh: string) =>
  lockfileJson({ openssh: { evra: `${openssh}.x86_64`, sourcerpm: 'openssh' }, 'openssh-clients': { evra: `${openssh}.x86_64`, sourcerpm: 'openssh' }, bash: { evra: `5.2.32-1.${openssh.split('.').find((x) => x.startsWith('fc'))}.x86_64`, sourcerpm: 'bash' } });

let bodhi: BodhiStandIn;
let koji: Served;
let app: RunningApp;

test.beforeAll(async () => {
  bodhi = await startBodhiList(
    [
      { alias: SSH41, release: 41, status: 'testing', severity: 'high', builds: [{ nvr: 'openssh-9.8p1-3.fc41.2' }], bugs: [`${CVE} openssh: authentication bypass [fedora-41]`], submitted: '2026-11-02 09:00:00' },
      { alias: SSH42, release: 42, status: 'stable', severity: 'high', builds: [{ nvr: 'openssh-9.9p1-2.fc42' }], bugs: [`${CVE} openssh: authentication bypass [fedora-42]`], submitted: '2026-11-03 09:00:00' },
    ],
    [41, 42],
  );
  koji = await startKoji({ 'openssh-9.8p1-3.fc41.2': ssh('9.8p1', '3.fc41.2'), 'openssh-9.9p1-2.fc42': ssh('9.9p1', '2.fc42') });
  const repo = createRepo(path.join(tempDir('lockstep-e2e-adv-'), 'fedora-coreos-config'));
  repo.branch('testing-devel');
  repo.commit('lockfiles: import', { 'manifest-lock.x86_64.json': lock('9.8p1-1.fc41.2'), 'build-args.conf': 'VERSION=41\n', 'manifest-lock.overrides.yaml': overridesYaml({}) });
  repo.branch('next-devel');
  repo.commit('next-devel: f42', { 'manifest-lock.x86_64.json': lock('9.9p1-1.fc42'), 'build-args.conf': 'VERSION=42\n' });
  repo.checkout('testing-devel');
  app = await startApp({ repo: repo.dir, env: { LOCKSTEP_BODHI_URL: bodhi.url, LOCKSTEP_KOJI_URL: `${koji.url}/kojihub` } });
});
test.afterAll(async () => {
  await app?.stop();
  await Promise.all([bodhi?.stop(), koji?.stop()]);
});

test('from the Advisories screen to fast-track drafts on two streams of two releases', async ({ page }) => {
  await page.goto(app.at('#/advisories'));
  await expect(page.getByTestId('advisories-source')).toContainText('nothing cached yet');
  await page.getByTestId('advisories-check').click();
  const group = page.locator(`[data-testid="advisory-group"][data-cve="${CVE}"]`);
  await expect(group.getByTestId('advisory-row')).toHaveCount(2);
  await expect(group.locator('[data-stream="testing-devel"]')).toContainText('openssh-9.8p1-3.fc41.2');
  await expect(group.locator('[data-stream="testing-devel"]')).toContainText('testing');
  await expect(group.locator('[data-stream="next-devel"]')).toContainText('openssh-9.9p1-2.fc42');
  await expect(page.getByTestId('advisories-source')).toContainText('read from Bodhi just now');

  // Carries: a CVE id answers per stream.
  await page.getByTestId('carries-query').fill(CVE);
  await page.getByTestId('carries-search').click();
  await expect(page.locator('[data-testid="carries-row"][data-stream="testing-devel"]')).toHaveAttribute('data-carried', 'false');
  await expect(page.locator('[data-testid="carries-row"][data-stream="next-devel"]')).toContainText('openssh-9.9p1-2.fc42');
  await shot(page, '90-advisories');

  await group.getByTestId('advisory-fast-track').click();
  await expect(page.getByTestId('target-testing-devel')).toBeChecked();
  await expect(page.getByTestId('target-next-devel')).toBeChecked();
  await expect(page.getByTestId('action-fast-track')).toBeChecked();
  for (const [stream, evr] of [['testing-devel', '9.8p1-3.fc41.2'], ['next-devel', '9.9p1-2.fc42']]) {
    const p = page.locator(`[data-testid="stream-preview"][data-stream="${stream}"]`);
    await expect(p).toHaveAttribute('data-ok', 'true');
    await expect(p.locator('[data-testid="effect-row"][data-name="openssh"]')).toContainText(evr);
  }
  await saveDraft(page);
  await expect(page.getByTestId('saved')).toContainText('lockstep/testing-devel/openssh-9.8p1-3.fc41.2');
  await expect(page.getByTestId('saved')).toContainText('lockstep/next-devel/openssh-9.9p1-2.fc42');

  // The streams screen counts what is missing, from the cache.
  await page.goto(app.at('#/streams'));
  await expect(page.locator('[data-testid="stream-row"][data-stream="next-devel"]').getByTestId('security-count')).toHaveText('1 security update missing');
});

test("an update for another release offers the stream's own release's update, and takes it with one click", async ({ page }) => {
  await page.goto(app.at(`#/draft?type=fast-track&update=${SSH41}&streams=testing-devel,next-devel`));
  const next = page.locator('[data-testid="stream-preview"][data-stream="next-devel"]');
  await expect(next.getByTestId('stream-error')).toContainText('next-devel is on .fc42');
  // The form speaks in its own words, not the CLI's flags.
  await expect(next.getByTestId('stream-error')).not.toContainText('--ignore-dist-mismatch');
  const offer = next.getByTestId('use-offer');
  await expect(offer).toHaveAttribute('data-alias', SSH42);
  await expect(offer).toContainText('openssh-9.9p1-2.fc42');
  await offer.scrollIntoViewIfNeeded();
  await shot(page, '95-dist-offer');
  await offer.focus();
  await page.keyboard.press('Enter');
  for (const [stream, evr] of [['testing-devel', '9.8p1-3.fc41.2'], ['next-devel', '9.9p1-2.fc42']]) {
    const p = page.locator(`[data-testid="stream-preview"][data-stream="${stream}"]`);
    await expect(p).toHaveAttribute('data-ok', 'true');
    await expect(p.locator('[data-testid="effect-row"][data-name="openssh"]')).toContainText(evr);
  }
  await shot(page, '96-dist-offer-taken');
});
