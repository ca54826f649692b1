/**
 * Issue 14 item 6 on a synthetic repo with the Bodhi/Koji stand-ins: `pin --update` proposes
 * the other streams that lock an older version of the update's binaries, and flags a
 * fast-track on a production stream whose promotion source already carries them, naming the
 * source and its commit; both on stderr, with the exit status and the drafts unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adviseStreams, buildServices, resolveUpdates } from '../../../main/services/drafts/from-builds';
import { ConfigRepo } from '../../../main/services/review/config-repo';
import { AnswerCache } from '../../../main/services/fedora/answer-cache';
import { startBodhi, startKoji, type KojiRpm, type Served } from '../../helpers/build-services';
import { runCliAsync } from '../../helpers/cli';
import { createRepo, lockfileJson, overridesYaml, type RepoBuilder } from '../../helpers/repo-builder';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

const ID = { GIT_AUTHOR_NAME: 'Ada Maintainer', GIT_AUTHOR_EMAIL: 'ada@example.org' };
const UPDATE = 'FEDORA-2024-5a5a5a5a5a';
const ARCHES = ['x86_64', 'aarch64'];
const PODMAN: KojiRpm[] = [
  { name: 'podman', version: '5.2.5', release: '1.fc40', epoch: 5, arch: 'src' },
  ...ARCHES.map((arch) => ({ name: 'podman', version: '5.2.5', release: '1.fc40', epoch: 5, arch })),
  { name: 'podman-docker', version: '5.2.5', release: '1.fc40', epoch: 5, arch: 'noarch' },
];

function lockfiles(podman: string, dist = 'fc40'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const arch of ARCHES) {
    out[`manifest-lock.${arch}.json`] = lockfileJson({
      podman: { evra: `5:${podman}-1.${dist}.${arch}`, sourcerpm: 'podman' },
      'podman-docker': { evra: `5:${podman}-1.${dist}.noarch`, sourcerpm: 'podman' },
      bash: { evra: `5.2.26-3.${dist}.${arch}`, sourcerpm: 'bash' },
    });
  }
  return out;
}

describe('stream advice for drafts from an update', () => {
  let repo: RepoBuilder;
  let bodhi: Served;
  let koji: Served;
  let env: Record<string, string>;
  let testingDevelHead = '';
  const dataDir = makeTempDir('lockstep-data-');

  beforeAll(async () => {
    bodhi = await startBodhi([{ alias: UPDATE, builds: ['podman-5.2.5-1.fc40'] }]);
    koji = await startKoji({ 'podman-5.2.5-1.fc40': PODMAN });
    env = { ...ID, LOCKSTEP_DATA_DIR: dataDir, LOCKSTEP_BODHI_URL: bodhi.url, LOCKSTEP_KOJI_URL: `${koji.url}/kojihub` };
    repo = createRepo();
    repo.branch('testing-devel');
    repo.commit('lockfiles: import', { ...lockfiles('5.2.3'), 'manifest-lock.overrides.yaml': overridesYaml({}) });
    repo.branch('testing', 'testing-devel');
    repo.branch('stable', 'testing-devel');
    repo.branch('next-devel', 'testing-devel');
    repo.branch('next', 'testing-devel');
    // rawhide is on another Fedora release: never proposed for an fc40 build.
    repo.branch('rawhide', 'testing-devel');
    repo.commit('lockfiles: f42', lockfiles('5.1.0', 'fc42'));
    // testing-devel moves on to the update's version: testing will get it by promotion.
    repo.checkout('testing-devel');
    repo.commit('lockfiles: bump', lockfiles('5.2.5'));
    testingDevelHead = repo.git('rev-parse', 'testing-devel');
  });
  afterAll(async () => {
    await bodhi.stop().catch(() => undefined);
    await koji.stop().catch(() => undefined);
    cleanupTempDirs();
  });

  const cli = (args: string[]) => runCliAsync([...args, '--repo', repo.dir], { env });
  const draftBranches = () => repo.git('branch', '--list', 'lockstep/*', '--format=%(refname:short)').split('\n').filter(Boolean);

  it('a fast-track on testing is flagged: testing-devel (its commit) already carries it; next-devel and next are proposed; exit 0', async () => {
    const r = await cli(['pin', '--update', UPDATE, '--stream', 'testing', '--dry-run']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      `lockstep: notice: testing-devel (${testingDevelHead.slice(0, 7)}) already carries podman 5:5.2.5-1.fc40, podman-docker 5:5.2.5-1.fc40: this will be part of the promotion to testing, so this fast-track isn't necessary`,
    );
    const proposed = [...r.stderr.matchAll(/note: (\S+) \(\w+\) locks an older/g)].map((m) => m[1]);
    // stable: its source (testing) is chosen; testing-devel has it; rawhide is fc42.
    expect(proposed).toEqual(['next-devel', 'next']);
    expect(r.stderr).toContain('next-devel (');
    expect(r.stderr).toContain('locks an older podman (5:5.2.3-1.fc40 on aarch64, x86_64)');
    expect(r.stderr).toContain('(add --stream next-devel)');
  });

  it('the notice changes neither the exit status nor what is written', async () => {
    const r = await cli(['pin', '--update', UPDATE, '--stream', 'testing', '--stream', 'next-devel']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('lockstep: notice: testing-devel');
    expect(r.stdout.trim().split('\n')).toEqual(['lockstep/testing/podman-5.2.5-1.fc40', 'lockstep/next-devel/podman-5.2.5-1.fc40']);
    expect(draftBranches().sort()).toEqual(['lockstep/next-devel/podman-5.2.5-1.fc40', 'lockstep/testing/podman-5.2.5-1.fc40']);
    // next-devel chosen: next (promoted from it) is no longer proposed, nor anything else.
    expect(r.stderr).not.toContain('locks an older');
  });

  it('a fast-track on next-devel alone proposes stable only (testing gets it by promotion, next is promoted from next-devel); no notice', async () => {
    // Without the drafts saved above: they would answer the proposals (next test).
    const saved = draftBranches();
    for (const b of saved) expect((await cli(['discard', b])).status).toBe(0);
    const r = await cli(['pin', '--update', UPDATE, '--stream', 'next-devel', '--dry-run']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('notice:');
    expect([...r.stderr.matchAll(/note: (\S+) \(\w+\) locks an older/g)].map((m) => m[1])).toEqual(['stable']);
  });

  it('a stream that already has this fast-track drafted is not proposed again, nor the streams promotion brings it to', async () => {
    expect((await cli(['pin', '--update', UPDATE, '--stream', 'next-devel'])).status).toBe(0);
    const r = await cli(['pin', '--update', UPDATE, '--stream', 'testing', '--dry-run']);
    expect(r.status, r.stderr).toBe(0);
    // next-devel is drafted; next is promoted from it; stable from testing (chosen).
    expect([...r.stderr.matchAll(/note: (\S+) \(\w+\) locks an older/g)].map((m) => m[1])).toEqual([]);
    for (const b of draftBranches()) expect((await cli(['discard', b])).status).toBe(0);
  });

  it('a fast-track on testing-devel, whose lockfiles already have the build, asks "did you mean a pin?"; a pin there does not', async () => {
    const r = await cli(['pin', '--update', UPDATE, '--stream', 'testing-devel', '--dry-run']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      `lockstep: notice: testing-devel (${testingDevelHead.slice(0, 7)})'s lockfiles already lock podman (5:5.2.5-1.fc40 on aarch64, x86_64), podman-docker (5:5.2.5-1.fc40 on aarch64, x86_64), the build's version or newer: a fast-track there pulls nothing in; did you mean a pin?`,
    );
    const pin = await cli(['pin', '--update', UPDATE, '--stream', 'testing-devel', '--type', 'pin', '--reason', 'https://github.com/coreos/fedora-coreos-tracker/issues/1', '--dry-run']);
    expect(pin.status, pin.stderr).toBe(0);
    expect(pin.stderr).not.toContain('did you mean a pin');
  });

  it('the service answers the same from the cache with Bodhi and Koji gone (offline)', async () => {
    const cache = new AnswerCache(`${dataDir}/cache`);
    const { builds } = await resolveUpdates([UPDATE], buildServices({ cache, settings: { bodhiUrl: bodhi.url, kojiUrl: `${koji.url}/kojihub` }, offline: true }));
    const config = await ConfigRepo.open(repo.dir);
    const advice = await adviseStreams(config, builds, { action: 'fast-track', streams: ['testing'] });
    const notices = advice.findings.filter((f) => f.rule === 'promotion-notice');
    expect(notices.map((n) => [n.stream, n.source, n.commit])).toEqual([['testing', 'testing-devel', testingDevelHead]]);
    expect(notices[0].gaps.map((g) => `${g.name}.${g.arch}`)).toEqual(['podman.aarch64', 'podman.x86_64', 'podman-docker.aarch64', 'podman-docker.x86_64']);
    expect(advice.findings.map((f) => `${f.rule} ${f.stream}`)).toEqual(['promotion-notice testing', 'stream-proposal next-devel', 'stream-proposal next']);
    const pin = await adviseStreams(config, builds, { action: 'pin', streams: ['testing'] });
    expect(pin.findings.filter((f) => f.severity === 'warning')).toEqual([]);
  });
});
