/**
 * Advisories and carries (main/services/fedora/advisories.ts) on a synthetic repo of four
 * streams on three Fedora releases, against the Bodhi list API stand-in (test/helpers/bodhi-list.ts).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnswerCache } from '../../../main/services/fedora/answer-cache';
import { advisories, carries, securityListUrl } from '../../../main/services/fedora/advisories';
import { HistoryIndex } from '../../../main/services/history/history-index';
import { ConfigRepo } from '../../../main/services/review/config-repo';
import { startBodhiList, type BodhiStandIn, type ListedUpdate } from '../../helpers/bodhi-list';
import { createRepo, lockfileJson, overridesYaml, type RepoBuilder } from '../../helpers/repo-builder';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

export const CVE_SSH = 'CVE-2026-1001';
export const U = {
  ssh41: 'FEDORA-2026-5511000001',
  ssh41later: 'FEDORA-2026-5511000002',
  pod41: 'FEDORA-2026-90d0000001',
  curlOld: 'FEDORA-2026-c0c0000001',
  bashFix: 'FEDORA-2026-ba50000001',
  bashObsolete: 'FEDORA-2026-ba50000002',
  bashUnpushed: 'FEDORA-2026-ba50000003',
  nginx: 'FEDORA-2026-e0e0000001',
  ssh42: 'FEDORA-2026-5542000001',
  curl42: 'FEDORA-2026-c042000001',
};
export const FILLERS = 150;
const filler = (i: number) => `pkg-${String(i).padStart(3, '0')}`;
const fillerAlias = (i: number, k: number) => `FEDORA-2026-f${k}${i.toString(16).padStart(8, '0')}`;

/** Every update the stand-in knows: the cases of SPEC §2.16 plus enough to page and batch. */
export function bodhiUpdates(): ListedUpdate[] {
  const out: ListedUpdate[] = [
    { alias: U.ssh41, release: 41, status: 'testing', severity: 'high', builds: [{ nvr: 'openssh-9.8p1-3.fc41.2' }], bugs: [`${CVE_SSH} openssh: authentication bypass [fedora-all]`], submitted: '2026-11-02 09:00:00' },
    { alias: U.ssh41later, release: 41, status: 'stable', severity: 'high', builds: [{ nvr: 'openssh-9.8p1-5.fc41' }], bugs: [`${CVE_SSH} openssh: authentication bypass [fedora-41]`, 'CVE-2026-1002 openssh: another one'], submitted: '2026-11-20 09:00:00' },
    { alias: U.pod41, release: 41, status: 'stable', severity: 'urgent', builds: [{ nvr: 'podman-5.2.6-1.fc41', epoch: 5 }], bugs: ['CVE-2026-2002 podman: container escape'], submitted: '2026-11-03 09:00:00' },
    { alias: U.curlOld, release: 41, status: 'stable', severity: 'medium', builds: [{ nvr: 'curl-8.9.1-1.fc41' }], bugs: ['CVE-2026-3000 curl: old one'], submitted: '2026-09-01 09:00:00' },
    { alias: U.bashFix, release: 41, type: 'bugfix', status: 'stable', builds: [{ nvr: 'bash-5.2.37-1.fc41' }], bugs: ['CVE-2026-4000 mentioned in a bugfix'] },
    { alias: U.bashObsolete, release: 41, status: 'obsolete', builds: [{ nvr: 'bash-5.2.37-1.fc41' }], bugs: ['CVE-2026-4001 bash'] },
    { alias: U.bashUnpushed, release: 41, status: 'unpushed', builds: [{ nvr: 'bash-5.2.37-2.fc41' }], bugs: ['CVE-2026-4002 bash'] },
    { alias: U.nginx, release: 41, status: 'stable', builds: [{ nvr: 'nginx-1.26.0-1.fc41' }], bugs: ['CVE-2026-5000 nginx'] },
    { alias: U.ssh42, release: 42, status: 'stable', severity: 'high', builds: [{ nvr: 'openssh-9.9p1-2.fc42' }], bugs: [`${CVE_SSH} openssh: authentication bypass [fedora-42]`], submitted: '2026-11-02 10:00:00' },
    { alias: U.curl42, release: 42, status: 'testing', severity: 'medium', builds: [{ nvr: 'curl-8.11.0-1.fc42' }], bugs: ['CVE-2026-3003 curl: fixed on F42 only'], submitted: '2026-11-05 09:00:00' },
  ];
  for (let i = 0; i < FILLERS; i++) {
    out.push({ alias: fillerAlias(i, 1), release: 41, severity: 'low', builds: [{ nvr: `${filler(i)}-2.0-1.fc41` }], bugs: [`CVE-2026-9${String(i).padStart(3, '0')} ${filler(i)}`], submitted: `2026-10-01 00:${String(i % 60).padStart(2, '0')}:00` });
    out.push({ alias: fillerAlias(i, 2), release: 41, severity: 'low', builds: [{ nvr: `${filler(i)}-0.9-1.fc41` }], bugs: ['CVE-2025-0001 old'], submitted: '2025-01-01 00:00:00' });
  }
  return out;
}

const lock41 = (openssh: string, extra: Record<string, string> = {}) => {
  const p: Record<string, { evra: string; sourcerpm: string }> = {
    openssh: { evra: `${openssh}.x86_64`, sourcerpm: 'openssh' },
    'openssh-clients': { evra: `${openssh}.x86_64`, sourcerpm: 'openssh' },
    podman: { evra: '5:5.2.3-1.fc41.x86_64', sourcerpm: 'podman' },
    curl: { evra: '8.9.1-2.fc41.x86_64', sourcerpm: 'curl' },
    libcurl: { evra: '8.9.1-2.fc41.x86_64', sourcerpm: 'curl' },
    bash: { evra: '5.2.32-1.fc41.x86_64', sourcerpm: 'bash' },
  };
  for (const [name, evra] of Object.entries(extra)) p[name] = { evra, sourcerpm: name };
  return lockfileJson(p);
};
const aarch = (text: string) => text.replace(/\.x86_64"/g, '.aarch64"');
const fillers = () => Object.fromEntries(Array.from({ length: FILLERS }, (_, i) => [filler(i), '1.0-1.fc41.x86_64']));

export interface AdvisoryRepo {
  repo: RepoBuilder;
  /** testing-devel's commit from which openssh has been at the fix without a break. */
  sshSince: string;
}

/** The repo: testing-devel and stable on F41, next-devel on F42, rawhide on a release Bodhi refuses. */
export function advisoryRepo(): AdvisoryRepo {
  const repo = createRepo();
  repo.branch('testing-devel');
  repo.commit('lockfiles: import', { 'manifest-lock.x86_64.json': lock41('9.8p1-1.fc41.2'), 'manifest-lock.aarch64.json': aarch(lock41('9.8p1-1.fc41.2')), 'build-args.conf': 'STREAM=testing-devel\nVERSION=41\n', 'manifest-lock.overrides.yaml': overridesYaml({}) });
  repo.branch('stable');
  // stable has no build-args.conf: its release is its lockfile's .fc41.
  repo.commit('stable: no build args', { 'build-args.conf': null });
  repo.checkout('testing-devel');
  repo.commit('lockfiles: bump openssh to the fix', { 'manifest-lock.x86_64.json': lock41('9.8p1-3.fc41.2'), 'manifest-lock.aarch64.json': aarch(lock41('9.8p1-3.fc41.2')) });
  repo.commit('lockfiles: back to the old openssh', { 'manifest-lock.x86_64.json': lock41('9.8p1-1.fc41.2'), 'manifest-lock.aarch64.json': aarch(lock41('9.8p1-1.fc41.2')) });
  const sshSince = repo.commit('lockfiles: openssh 9.8p1-4', { 'manifest-lock.x86_64.json': lock41('9.8p1-4.fc41'), 'manifest-lock.aarch64.json': aarch(lock41('9.8p1-4.fc41')) });
  repo.commit('lockfiles: many more packages', { 'manifest-lock.x86_64.json': lock41('9.8p1-4.fc41', fillers()) });
  repo.branch('next-devel');
  // Most of next-devel's packages still say .fc41, but build-args.conf says 42: 42 it is, and
  // the F41 podman fix is never compared with its fc41 podman.
  repo.commit('next-devel: f42', {
    'build-args.conf': 'STREAM=next-devel\nVERSION=42\n',
    'manifest-lock.x86_64.json': lockfileJson({
      openssh: { evra: '9.9p1-1.fc42.x86_64', sourcerpm: 'openssh' },
      curl: { evra: '8.10.0-1.fc42.x86_64', sourcerpm: 'curl' },
      podman: { evra: '5:5.2.3-1.fc41.x86_64', sourcerpm: 'podman' },
      bash: { evra: '5.2.32-1.fc41.x86_64', sourcerpm: 'bash' },
      glibc: { evra: '2.40-1.fc41.x86_64', sourcerpm: 'glibc' },
    }),
    'manifest-lock.aarch64.json': null,
  });
  repo.branch('rawhide');
  repo.commit('rawhide: f99', { 'build-args.conf': 'STREAM=rawhide\nVERSION=99\n' });
  repo.checkout('testing-devel');
  return { repo, sshSince };
}

describe('advisories and carries against Bodhi', () => {
  let bodhi: BodhiStandIn;
  let setup: AdvisoryRepo;
  let repo: ConfigRepo;
  let cacheDir: string;
  const opts = (extra: { offline?: boolean } = {}) => ({ baseUrl: bodhi.url, cache: new AnswerCache(cacheDir), ...extra });

  beforeAll(async () => {
    bodhi = await startBodhiList(bodhiUpdates(), [41, 42]);
    setup = advisoryRepo();
    repo = await ConfigRepo.open(setup.repo.dir);
    cacheDir = path.join(makeTempDir(), 'cache');
  });
  afterAll(async () => {
    repo?.close();
    await bodhi?.stop();
    cleanupTempDirs();
  });

  it('lists, per stream, the security updates of its own release newer than what it locks', async () => {
    const r = await advisories(repo, opts());
    const key = (x: { stream: string; alias: string; source: string }) => `${x.stream} ${x.alias} ${x.source}`;
    const got = r.rows.filter((x) => !x.source.startsWith('pkg-')).map(key).sort();
    expect(got).toEqual(
      [
        `next-devel ${U.curl42} curl`,
        `next-devel ${U.ssh42} openssh`,
        `stable ${U.pod41} podman`,
        `stable ${U.ssh41} openssh`,
        `stable ${U.ssh41later} openssh`,
        `testing-devel ${U.pod41} podman`,
        `testing-devel ${U.ssh41later} openssh`,
      ].sort(),
    );
    // One row per newer filler update (each also has an update older than the lock).
    expect(r.rows.filter((x) => x.source.startsWith('pkg-')).map((x) => x.alias).sort()).toEqual(Array.from({ length: FILLERS }, (_, i) => fillerAlias(i, 1)).sort());
    const pod = r.rows.find((x) => x.stream === 'testing-devel' && x.source === 'podman')!;
    // The epoch comes from Bodhi's build: podman-5.2.6 is 5:5.2.6, newer than 5:5.2.3.
    expect(pod).toMatchObject({ severity: 'urgent', status: 'stable', locked: '5:5.2.3-1.fc41', build: 'podman-5.2.6-1.fc41', cves: ['CVE-2026-2002'], url: `https://bodhi.fedoraproject.org/updates/${U.pod41}` });
    expect(r.rows.find((x) => x.alias === U.ssh41later && x.stream === 'testing-devel')).toMatchObject({ locked: '9.8p1-4.fc41', cves: [CVE_SSH, 'CVE-2026-1002'] });
    expect(r.rows.find((x) => x.alias === U.ssh41 && x.stream === 'stable')).toMatchObject({ locked: '9.8p1-1.fc41.2', build: 'openssh-9.8p1-3.fc41.2', status: 'testing' });
    // Severity first: urgent before high before medium before low.
    const ranks = r.rows.map((x) => ['urgent', 'high', 'medium', 'low', 'unspecified'].indexOf(x.severity));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    // The release Bodhi refuses is said, with Bodhi's own words, and nothing else is lost.
    expect(r.streams.find((s) => s.stream === 'rawhide')).toMatchObject({ release: 99, missing: 0, complete: false });
    expect(r.streams.find((s) => s.stream === 'rawhide')!.error).toContain('Invalid releases specified: F99');
    expect(r.streams.find((s) => s.stream === 'next-devel')).toMatchObject({ release: 42, complete: true, error: null });
  });

  it('asks at most one request per 100 sources per release, plus pages, every page read', () => {
    const f41 = bodhi.listQueries.filter((q) => q.get('releases') === 'F41');
    const firstPages = f41.filter((q) => q.get('page') === '1');
    // testing-devel and stable lock 5 + 150 sources on F41: two batches.
    expect(firstPages).toHaveLength(2);
    for (const q of f41) {
      expect(q.getAll('packages').length).toBeLessThanOrEqual(100);
      expect(q.getAll('status')).toEqual(['testing', 'stable']);
      expect(q.get('type')).toBe('security');
      expect(q.getAll('packages')).not.toContain('nginx');
    }
    // The first batch holds ~95 fillers with 2 updates each: more than one page of 100.
    const pagesOf = (q: URLSearchParams) => f41.filter((x) => x.getAll('packages').join() === q.getAll('packages').join()).map((x) => Number(x.get('page')));
    const biggest = firstPages.map(pagesOf).sort((a, b) => b.length - a.length)[0];
    expect(biggest).toEqual([1, 2]);
    expect(bodhi.listQueries.filter((q) => q.get('releases') === 'F42' && q.get('page') === '1')).toHaveLength(1);
  });

  it('answers the same offline from the cache, and fails naming Bodhi with no cache', async () => {
    const online = await advisories(repo, opts());
    const before = bodhi.requests.length;
    const offline = await advisories(repo, opts({ offline: true }));
    expect(bodhi.requests.length).toBe(before);
    expect(offline.rows).toEqual(online.rows);
    expect(offline.fromCache).toBe(true);
    const empty = { baseUrl: bodhi.url, cache: new AnswerCache(path.join(makeTempDir(), 'none')), offline: true };
    await expect(advisories(repo, empty)).rejects.toMatchObject({ code: 'network', message: expect.stringMatching(/Bodhi/) });
  });

  it('builds the list URL with repeated parameters', () => {
    const u = new URL(securityListUrl('https://b.example', 41, ['a', 'b'], 3));
    expect(u.pathname).toBe('/updates/');
    expect(u.searchParams.getAll('packages')).toEqual(['a', 'b']);
    expect(u.searchParams.get('releases')).toBe('F41');
    expect(u.searchParams.get('page')).toBe('3');
  });

  it('carries: per stream, its own release\'s fix of the same CVE, and since when it has been carried', async () => {
    const r = await carries(repo, U.ssh42, opts());
    const byStream = Object.fromEntries(r.rows.map((x) => [x.stream, x]));
    expect(r.cves).toEqual([CVE_SSH]);
    // The oldest F41 update naming the CVE is U.ssh41, not the later one.
    expect(byStream['testing-devel']).toMatchObject({ carried: true, version: '9.8p1-4.fc41', fix: 'openssh-9.8p1-3.fc41.2', since: setup.sshSince, alias: U.ssh41 });
    expect(byStream.stable).toMatchObject({ carried: false, version: '9.8p1-1.fc41.2', fix: 'openssh-9.8p1-3.fc41.2', since: null });
    expect(byStream['next-devel']).toMatchObject({ carried: false, version: '9.9p1-1.fc42', fix: 'openssh-9.9p1-2.fc42', since: null, alias: U.ssh42 });
    expect(byStream.rawhide).toMatchObject({ carried: null, fix: null, since: null });
    expect(r.warnings.join('\n')).toContain('Invalid releases specified: F99');
  });

  it("carries' since is what a walk without the index finds", async () => {
    const r = await carries(repo, U.ssh41, { ...opts(), streams: ['testing-devel'], historyCache: false });
    expect(r.rows[0].since).toBe(setup.sshSince);
    // The walk itself: the newest run of openssh at 9.8p1-3.fc41.2 or newer starts there.
    const walk = await new HistoryIndex(repo, { cache: false }).packageHistory('testing-devel', 'x86_64', 'openssh');
    expect(walk.map((e) => e.evr)).toEqual(['9.8p1-4.fc41', '9.8p1-1.fc41.2', '9.8p1-3.fc41.2', '9.8p1-1.fc41.2']);
    expect(walk[0].commit).toBe(setup.sshSince);
    const indexed = await carries(repo, U.ssh41, { ...opts(), streams: ['testing-devel'] });
    expect(indexed.rows[0].since).toBe(r.rows[0].since);
  });

  it('carries: a CVE fixed on one release only is null on the others', async () => {
    const r = await carries(repo, U.curl42, opts());
    const byStream = Object.fromEntries(r.rows.map((x) => [x.stream, x]));
    expect(byStream['testing-devel']).toMatchObject({ carried: null, fix: null });
    expect(byStream.stable).toMatchObject({ carried: null, fix: null });
    expect(byStream['next-devel']).toMatchObject({ carried: false, version: '8.10.0-1.fc42', fix: 'curl-8.11.0-1.fc42' });
  });
});
