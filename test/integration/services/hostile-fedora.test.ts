/**
 * Trust what is read (issue 21, SPEC §6): Koji, Bodhi and rpm-md answers that garble, lie,
 * send wrong types, bomb, hang, redirect elsewhere or send HTML with status 200. Each case
 * asserts the exact outcome: an error naming the service with nothing cached, or the right
 * answer.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { availability } from '../../../shared/availability';
import { AnswerCache, urlKey } from '../../../main/services/fedora/answer-cache';
import { securityUpdates } from '../../../main/services/fedora/advisories';
import { fetchUpdate } from '../../../main/services/fedora/bodhi';
import { fetchBuild } from '../../../main/services/fedora/koji';
import { repoNevras } from '../../../main/services/fedora/repo-metadata';
import { gzipBomb, kojiBuild, kojiRpms, rpmMdFiles, startHostile, xmlrpcAnswer, type Hostile } from '../../helpers/hostile-services';
import { listedUpdateJson } from '../../helpers/bodhi-list';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

const NVR = 'podman-5.2.6-1.fc41';
const GOOD = kojiRpms([
  ['podman', '5.2.6', '1.fc41', 5, 'src'],
  ['podman', '5.2.6', '1.fc41', 5, 'x86_64'],
  ['podman-docker', '5.2.6', '1.fc41', 5, 'noarch'],
]);

let srv: Hostile;
let cacheDir: string;
const cache = () => new AnswerCache(cacheDir);
const cachedFiles = () => (fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir, { recursive: true }).map(String).filter((f) => f.endsWith('.json')) : []);
const xml = (v: unknown) => ({ kind: 'text' as const, contentType: 'text/xml', body: xmlrpcAnswer(v) });

/** Koji answering getBuild well and listBuildRPMs with `rpms`. */
function koji(rpms: unknown) {
  srv.on((r) => (r.rpcMethod === 'getBuild' ? xml(kojiBuild(NVR)) : r.rpcMethod === 'listBuildRPMs' ? (typeof rpms === 'string' ? { kind: 'text', contentType: 'text/xml', body: rpms } : xml(rpms)) : undefined));
}
const kojiOpts = (timeoutMs = 5000) => ({ baseUrl: `${srv.url}/kojihub`, cache: cache(), timeoutMs });

beforeAll(async () => {
  srv = await startHostile();
});
beforeEach(() => {
  cacheDir = path.join(makeTempDir('lockstep-cache-'), 'cache');
  srv.requests.length = 0;
});
afterAll(async () => {
  await srv.stop();
  cleanupTempDirs();
});

describe('Koji answers are checked before use and before caching', () => {
  it('takes a build whose RPMs are its own', async () => {
    koji(GOOD);
    const r = await fetchBuild(NVR, kojiOpts());
    expect(r.value.rpms.map((x) => `${x.name}.${x.arch}:${x.epoch}`)).toEqual(['podman.src:5', 'podman.x86_64:5', 'podman-docker.noarch:5']);
    expect(cachedFiles()).toEqual([path.join('koji', `${NVR}.json`)]);
  });

  const lies: [string, unknown, RegExp][] = [
    ['another build (systemd)', kojiRpms([['systemd', '256.7', '1.fc41', null, 'src'], ['systemd', '256.7', '1.fc41', null, 'x86_64']]), /does not belong to that build \(systemd-256\.7-1\.fc41 is of release 1\.fc41, not|its source RPM is systemd/],
    ['a binary of another release', kojiRpms([['podman', '5.2.6', '1.fc41', 5, 'src'], ['podman', '5.2.6', '2.fc41', 5, 'x86_64']]), /podman-5\.2\.6-2\.fc41 is of release 2\.fc41, not 1\.fc41/],
    ['a source RPM of another version', kojiRpms([['podman', '5.2.5', '1.fc41', 5, 'src'], ['podman', '5.2.5', '1.fc41', 5, 'x86_64']]), /its source RPM is podman-5\.2\.5-1\.fc41/],
    ['another build id', kojiRpms([['podman', '5.2.6', '1.fc41', 5, 'src']], 7), /is of build 7, not 42/],
    ['epoch -1', kojiRpms([['podman', '5.2.6', '1.fc41', -1, 'src']]), /epoch -1, not nil or an integer ≥ 0/],
    ['epoch 1.5', kojiRpms([['podman', '5.2.6', '1.fc41', 1.5, 'src']]), /epoch 1\.5, not nil or an integer ≥ 0/],
    ['an unknown arch', kojiRpms([['podman', '5.2.6', '1.fc41', 5, 'x86-64']]), /arch "x86-64"/],
    ['a name of the wrong type', kojiRpms([[{ raw: '<int>7</int>' } as unknown as string, '5.2.6', '1.fc41', 5, 'src']]), /an RPM named 7/],
    ['no RPMs at all', [], /no RPMs/],
    ['a struct, not a list', { podman: 1 }, /not a list/],
  ];
  for (const [what, rpms, why] of lies) {
    it(`refuses ${what}, naming Koji, and caches nothing`, async () => {
      koji(rpms);
      const err = await fetchBuild(NVR, kojiOpts()).catch((e) => e);
      expect(err).toMatchObject({ code: 'network', message: expect.stringMatching(/^Koji's listBuildRPMs\(podman-5\.2\.6-1\.fc41\) answer does not belong to that build/) });
      expect(err.message).toMatch(why);
      expect(cachedFiles()).toEqual([]);
    });
  }

  it('refuses <int>1e+23</int> as an epoch instead of reading 1', async () => {
    const row = (arch: string) => `<value><struct><member><name>name</name><value><string>podman</string></value></member><member><name>version</name><value><string>5.2.6</string></value></member><member><name>release</name><value><string>1.fc41</string></value></member><member><name>arch</name><value><string>${arch}</string></value></member><member><name>epoch</name><value><int>1e+23</int></value></member></struct></value>`;
    koji(`<?xml version='1.0'?><methodResponse><params><param><value><array><data>${row('src')}</data></array></value></param></params></methodResponse>`);
    const err = await fetchBuild(NVR, kojiOpts()).catch((e) => e);
    expect(err).toMatchObject({ code: 'network', message: expect.stringContaining('<int>1e+23</int> is not an integer') });
    expect(err.message).toMatch(/^Koji \(/);
    expect(cachedFiles()).toEqual([]);
  });

  it('refuses garbled XML and an HTML page with status 200, naming Koji', async () => {
    for (const body of ['<?xml version="1.0"?><methodResponse><params><param><value><int>5</param>', '<!doctype html><html><body>Sign in</body></html>']) {
      koji(body);
      const err = await fetchBuild(NVR, kojiOpts()).catch((e) => e);
      expect(err).toMatchObject({ code: 'network', message: expect.stringMatching(/^Koji \(http:\/\/127\.0\.0\.1:\d+\/kojihub\) answered listBuildRPMs with something that is not a valid XML-RPC answer/) });
    }
    expect(cachedFiles()).toEqual([]);
  });

  it('refuses a body past the cap, a hang past the deadline, and a redirect to another host', async () => {
    srv.on((r) => (r.rpcMethod === 'getBuild' ? { kind: 'huge', size: 40 << 20, fill: ' ', contentType: 'text/xml' } : undefined));
    const before = process.memoryUsage().rss;
    await expect(fetchBuild(NVR, kojiOpts())).rejects.toThrow(/^Koji \(.*\) cannot be reached \(its answer is larger than 16 MB: refused\) and no answer for podman-5\.2\.6-1\.fc41 is cached/);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 << 20);
    srv.on(() => ({ kind: 'hang' }));
    const t0 = Date.now();
    await expect(fetchBuild(NVR, kojiOpts(800))).rejects.toThrow(/cannot be reached \(timed out\)/);
    expect(Date.now() - t0).toBeLessThan(5000);
    srv.on((r) => (r.path === '/kojihub' ? { kind: 'redirect', location: `${srv.otherHostUrl}/elsewhere`, status: 307 } : undefined));
    await expect(fetchBuild(NVR, kojiOpts())).rejects.toThrow(/redirected to another host, localhost:\d+: refused/);
    expect(srv.requests.some((q) => q.url === '/elsewhere')).toBe(false);
    expect(cachedFiles()).toEqual([]);
  });

  it('drops a cache entry of the wrong shape and asks Koji again', async () => {
    fs.mkdirSync(path.join(cacheDir, 'koji'), { recursive: true });
    const file = path.join(cacheDir, 'koji', `${NVR}.json`);
    for (const bad of [{ fetched: '2026-01-01T00:00:00Z', value: { nvr: NVR, rpms: 5 } }, { fetched: '2026-01-01T00:00:00Z', value: { nvr: NVR, rpms: [{ name: 'podman', version: '5.2.6', release: '1.fc41', arch: 'src', epoch: -1 }] } }, 'not json{']) {
      fs.writeFileSync(file, typeof bad === 'string' ? bad : JSON.stringify(bad));
      koji(GOOD);
      srv.requests.length = 0;
      const r = await fetchBuild(NVR, kojiOpts());
      expect(r.from).toBe('network');
      expect(srv.requests).toHaveLength(2);
      expect(r.value.rpms).toHaveLength(3);
    }
  });
});

describe('Bodhi answers are checked before use and before caching', () => {
  const ALIAS = 'FEDORA-2026-90d0000001';
  const update = (alias: string) => listedUpdateJson({ alias, release: 41, builds: [{ nvr: NVR, epoch: 5 }], bugs: ['CVE-2026-2002 podman'] });
  const bodhiOpts = (timeoutMs = 5000) => ({ baseUrl: srv.url, cache: cache(), timeoutMs });

  it('refuses another update than the one asked for, and an HTML page with status 200', async () => {
    srv.on(() => ({ kind: 'json', body: { update: update('FEDORA-2026-0000000bad'), can_edit: false } }));
    await expect(fetchUpdate(ALIAS, bodhiOpts())).rejects.toMatchObject({ code: 'network', message: expect.stringMatching(/^Bodhi's answer for FEDORA-2026-90d0000001 is not an update \(it is update FEDORA-2026-0000000bad\)/) });
    srv.on(() => ({ kind: 'text', body: '<!doctype html><p>Maintenance</p>' }));
    await expect(fetchUpdate(ALIAS, bodhiOpts())).rejects.toThrow(/^Bodhi \(http:\/\/127\.0\.0\.1:\d+\) answered something that is not JSON for FEDORA-2026-90d0000001; nothing was used or cached/);
    expect(cachedFiles()).toEqual([]);
  });

  it('refuses a list page that lies about its page, has wrong types, or is too large', async () => {
    const page = (over: Record<string, unknown>, u: unknown = update(ALIAS)) => ({ kind: 'json' as const, body: { updates: [u], page: 1, pages: 1, rows_per_page: 100, total: 1, ...over } });
    const cases: [ReturnType<typeof page> | { kind: 'huge'; size: number }, RegExp][] = [
      [page({ page: 2 }), /page 2 where page 1 was asked/],
      [page({ pages: 'many' }), /pages "many"/],
      [page({}, { ...update(ALIAS), builds: [{ nvr: NVR, epoch: '5' }] }), /epoch "5", not an integer ≥ 0/],
      [page({}, { ...update(ALIAS), alias: 'not an alias' }), /an update without a valid alias/],
      [{ kind: 'huge', size: 40 << 20 }, /its answer is larger than 16 MB: refused/],
    ];
    for (const [b, why] of cases) {
      srv.on(() => b);
      const r = await securityUpdates(41, ['podman'], bodhiOpts());
      expect(r).toMatchObject({ unknown: true, updates: [] });
      expect(r.error).toMatch(/^Bodhi/);
      expect(r.error).toMatch(why);
    }
    expect(cachedFiles()).toEqual([]);
  });

  it('refuses a redirect to another host and gives up on a hang at the deadline', async () => {
    srv.on((r) => (r.path.startsWith('/updates/') ? { kind: 'redirect', location: `${srv.otherHostUrl}/updates/` } : undefined));
    expect((await securityUpdates(41, ['podman'], bodhiOpts())).error).toMatch(/redirected to another host, localhost:\d+: refused/);
    srv.on(() => ({ kind: 'hang' }));
    const t0 = Date.now();
    expect((await securityUpdates(41, ['podman'], bodhiOpts(800))).error).toMatch(/cannot be reached \(timed out\)/);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(cachedFiles()).toEqual([]);
  });

  it('drops a cached list of the wrong shape and asks Bodhi again', async () => {
    const good = { kind: 'json' as const, body: { updates: [update(ALIAS)], page: 1, pages: 1, rows_per_page: 100, total: 1 } };
    srv.on(() => good);
    await securityUpdates(41, ['podman'], bodhiOpts());
    const [file] = cachedFiles();
    const full = path.join(cacheDir, file);
    fs.writeFileSync(full, JSON.stringify({ fetched: '2026-01-01T00:00:00Z', value: [{ alias: ALIAS, builds: 'podman' }] }));
    const offline = await securityUpdates(41, ['podman'], { ...bodhiOpts(), offline: true });
    expect(offline).toMatchObject({ unknown: true, updates: [] });
    expect(fs.existsSync(full)).toBe(false);
    srv.requests.length = 0;
    const again = await securityUpdates(41, ['podman'], bodhiOpts());
    expect(again.updates.map((u) => u.alias)).toEqual([ALIAS]);
    expect(srv.requests).toHaveLength(1);
  });
});

describe('rpm-md answers: unknown, never a wrong "missing"', () => {
  const pool = (arch: string) => `${srv.url}/pool/${arch}/`;
  const WANT = [{ nevra: 'podman-5:5.2.6-1.fc41.x86_64', arch: 'x86_64' }];
  const check = async (opts: Parameters<typeof repoNevras>[2] = {}) => {
    const r = await repoNevras([pool('x86_64')], cacheDir, opts);
    return { r, rows: availability(WANT, { x86_64: r.value ? { fetched: r.value.fetched, nevras: new Set(r.value.nevras) } : null }) };
  };
  const serve = (repomd: string | Buffer, primary: Buffer) => srv.on((r) => (r.path.endsWith('repomd.xml') ? { kind: 'text', contentType: 'text/xml', body: repomd } : r.path.endsWith('p-primary.xml.gz') ? { kind: 'text', contentType: 'application/gzip', body: primary } : undefined));

  it('reads every binary NEVRA of well-formed metadata, a zero epoch omitted, source RPMs left out', async () => {
    const f = rpmMdFiles([
      { name: 'podman', epoch: '5', ver: '5.2.6', rel: '1.fc41', arch: 'x86_64' },
      { name: 'bash', epoch: '0', ver: '5.2.32', rel: '1.fc41', arch: 'x86_64' },
      { name: 'bash', epoch: '0', ver: '5.2.32', rel: '1.fc41', arch: 'src' },
    ]);
    serve(f.repomd, f.primaryGz);
    const c = await check();
    expect(c.rows[0].status).toBe('available');
    expect(c.r.value?.nevras.sort()).toEqual(['bash-5.2.32-1.fc41.x86_64', 'podman-5:5.2.6-1.fc41.x86_64']);
  });

  it('a repomd or primary that is HTML (status 200) is unknown, not missing, and not cached', async () => {
    const f = rpmMdFiles([]);
    serve('<!doctype html><html><body>Index of /</body></html>', f.primaryGz);
    let c = await check();
    expect(c.rows[0].status).toBe('unknown');
    expect(c.r.error).toMatch(/is not rpm-md metadata \(/);
    serve(f.repomd, Buffer.from('<html><body>502 Bad Gateway</body></html>'));
    c = await check();
    expect(c.rows[0].status).toBe('unknown');
    expect(c.r.error).toMatch(/not gzip data/);
    serve(f.repomd, zlib.gzipSync('<html><body>not metadata</body></html>'));
    c = await check();
    expect(c.rows[0].status).toBe('unknown');
    expect(c.r.error).toMatch(/its document is <html>, not <metadata>/);
    expect(cachedFiles()).toEqual([]);
  });

  it('stops a decompression bomb at the cap, with little memory', async () => {
    const f = rpmMdFiles([]);
    const bomb = gzipBomb(64);
    expect(bomb.length).toBeLessThan(200_000);
    serve(f.repomd, bomb);
    const before = process.memoryUsage().rss;
    const c = await check({ bounds: { deadline: Date.now() + 20_000, decompressedBytes: 8 << 20 } });
    expect(c.r.error).toMatch(/decompresses to more than 8 MB: refused/);
    expect(c.rows[0].status).toBe('unknown');
    expect(process.memoryUsage().rss - before).toBeLessThan(64 << 20);
  });

  it('one deadline for the whole check: three hanging repos cost it once', async () => {
    srv.on(() => ({ kind: 'hang' }));
    const t0 = Date.now();
    const r = await repoNevras([pool('x86_64'), pool('aarch64'), pool('s390x')], cacheDir, { bounds: { deadline: Date.now() + 800 } });
    expect(r.error).toMatch(/timed out/);
    // Three repos, one deadline: not three times it.
    expect(Date.now() - t0).toBeLessThan(1800);
  });

  it('refuses a redirect to another host', async () => {
    srv.on((r) => (r.path.endsWith('repomd.xml') ? { kind: 'redirect', location: `${srv.otherHostUrl}/mirror/repodata/repomd.xml` } : undefined));
    const c = await check();
    expect(c.r.error).toMatch(/redirected to another host/);
    expect(c.rows[0].status).toBe('unknown');
  });

  it('keys the cache by a hash of every URL: two pools sharing a long prefix do not share an answer', async () => {
    const long = `${srv.url}/${'x'.repeat(120)}`;
    const f = rpmMdFiles([{ name: 'podman', epoch: '5', ver: '5.2.6', rel: '1.fc41', arch: 'x86_64' }]);
    srv.on((r) => (r.path.endsWith('repomd.xml') ? { kind: 'text', body: f.repomd } : r.path.includes('/a/') && r.path.endsWith('.gz') ? { kind: 'text', body: f.primaryGz } : r.path.endsWith('.gz') ? { kind: 'text', body: rpmMdFiles([]).primaryGz } : undefined));
    await repoNevras([`${long}/a/`], cacheDir);
    await repoNevras([`${long}/b/`], cacheDir);
    expect(fs.readdirSync(cacheDir).sort()).toEqual([`nevras-${urlKey(`${long}/a/`)}.json`, `nevras-${urlKey(`${long}/b/`)}.json`].sort());
    expect((await repoNevras([`${long}/a/`], cacheDir, { offline: true })).value?.nevras).toEqual(['podman-5:5.2.6-1.fc41.x86_64']);
    expect((await repoNevras([`${long}/b/`], cacheDir, { offline: true })).value?.nevras).toEqual([]);
  });
});
