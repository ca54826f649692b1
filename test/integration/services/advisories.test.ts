/**
 * Advisories and carries (main/services/fedora/advisories.ts) on a synthetic repo of four
 * streams on three Fedora releases, against the Bodhi list API stand-in (test/helpers/bodhi-list.ts).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnswerCache } from '../../../main/services/fedora/answer-cache';
import { advisories, carries, searchCarries, securityListUrl } from '../../../main/services/fedora/advisories';
import { HistoryIndex } from '../../../main/services/history/history-index';
import { ConfigRepo } from '../../../main/services/review/config-repo';
import { startBodhiList, type BodhiStandIn } from '../../helpers/bodhi-list';
import { advisoryRepo, bodhiUpdates, CVE_SSH, FILLERS, fillerAlias, U, type AdvisoryRepo } from '../../helpers/advisory-scenario';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

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

  it('carries offline: an update never asked alone is found in the cached lists; CVE and package searches too', async () => {
    await advisories(repo, opts());
    const fresh = { baseUrl: bodhi.url, cache: new AnswerCache(cacheDir), offline: true };
    const r = await carries(repo, U.ssh41later, { ...fresh, streams: ['testing-devel'] });
    expect(r.rows[0]).toMatchObject({ carried: true, fix: 'openssh-9.8p1-3.fc41.2' });
    const byCve = await searchCarries(repo, 'cve-2026-1001', fresh);
    expect(byCve.cves).toEqual([CVE_SSH]);
    expect(Object.fromEntries(byCve.rows.map((x) => [x.stream, x.carried]))).toEqual({ 'testing-devel': true, stable: false, 'next-devel': false, rawhide: null });
    const byPackage = await searchCarries(repo, 'curl', fresh);
    expect(byPackage).toMatchObject({ alias: U.curl42, cves: ['CVE-2026-3003'], sources: ['curl'] });
    await expect(searchCarries(repo, 'CVE-2099-0001', fresh)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('carries: a CVE fixed on one release only is null on the others', async () => {
    const r = await carries(repo, U.curl42, opts());
    const byStream = Object.fromEntries(r.rows.map((x) => [x.stream, x]));
    expect(byStream['testing-devel']).toMatchObject({ carried: null, fix: null });
    expect(byStream.stable).toMatchObject({ carried: null, fix: null });
    expect(byStream['next-devel']).toMatchObject({ carried: false, version: '8.10.0-1.fc42', fix: 'curl-8.11.0-1.fc42' });
  });
});
