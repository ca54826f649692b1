/**
 * `lockstep advisories` and `lockstep carries` as a user runs them, against the Bodhi list
 * stand-in: JSON rows of SPEC §4, exit statuses, offline from the cache, no cache naming Bodhi.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBodhiList, type BodhiStandIn } from '../../helpers/bodhi-list';
import { runCliAsync } from '../../helpers/cli';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';
import { advisoryRepo, bodhiUpdates, CVE_SSH, U, type AdvisoryRepo } from '../../helpers/advisory-scenario';

describe('lockstep advisories / carries', () => {
  let bodhi: BodhiStandIn;
  let setup: AdvisoryRepo;
  const dataDir = makeTempDir('lockstep-data-');
  const cli = (args: string[], env: Record<string, string> = {}) => runCliAsync([...args, '--repo', setup.repo.dir], { env: { LOCKSTEP_DATA_DIR: dataDir, LOCKSTEP_BODHI_URL: bodhi.url, ...env } });

  beforeAll(async () => {
    bodhi = await startBodhiList(bodhiUpdates(), [41, 42]);
    setup = advisoryRepo();
  });
  afterAll(async () => {
    await bodhi?.stop();
    cleanupTempDirs();
  });

  it('prints the rows of SPEC §4 for the streams asked, filtered by severity', async () => {
    const r = await cli(['advisories', '--stream', 'testing-devel', '--stream', 'next-devel', '--severity', 'high', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(rows.map((x) => `${x.stream} ${x.alias}`).sort()).toEqual([`next-devel ${U.ssh42}`, `testing-devel ${U.ssh41later}`]);
    expect(rows.find((x) => x.stream === 'next-devel')).toEqual(
      expect.objectContaining({ stream: 'next-devel', alias: U.ssh42, url: `https://bodhi.fedoraproject.org/updates/${U.ssh42}`, severity: 'high', status: 'stable', source: 'openssh', locked: '9.9p1-1.fc42', build: 'openssh-9.9p1-2.fc42', cves: [CVE_SSH] }),
    );
  });

  it('warns about a release Bodhi refuses and still answers the others', async () => {
    const r = await cli(['advisories', '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: rawhide: Bodhi .*Invalid releases specified: F99/);
    const rows = JSON.parse(r.stdout) as { stream: string }[];
    expect(new Set(rows.map((x) => x.stream))).toEqual(new Set(['testing-devel', 'stable', 'next-devel']));
  });

  it('answers offline from the cache, saying how old it is; with no cache exits 1 naming Bodhi', async () => {
    const online = await cli(['advisories', '--json']);
    const asked = bodhi.requests.length;
    const offline = await cli(['advisories', '--offline', '--json']);
    expect(offline.status, offline.stderr).toBe(0);
    expect(bodhi.requests.length).toBe(asked);
    expect(offline.stdout).toBe(online.stdout);
    expect(offline.stderr).toMatch(/from the cache, less than an hour old/);
    const none = await cli(['advisories', '--offline'], { LOCKSTEP_DATA_DIR: makeTempDir('lockstep-empty-') });
    expect(none.status).toBe(1);
    expect(none.stderr.trim().split('\n')).toHaveLength(1);
    expect(none.stderr).toMatch(/^lockstep: offline: no cached Bodhi answer/);
    const down = await cli(['advisories'], { LOCKSTEP_DATA_DIR: makeTempDir('lockstep-empty-'), LOCKSTEP_BODHI_URL: 'http://127.0.0.1:9' });
    expect(down.status).toBe(1);
    expect(down.stderr).toMatch(/Bodhi \(http:\/\/127\.0\.0\.1:9.*nothing is cached/);
  });

  it('refuses an unknown severity and an unknown stream as bad input', async () => {
    const sev = await cli(['advisories', '--severity', 'critical']);
    expect(sev.status).toBe(2);
    expect(sev.stderr).toMatch(/--severity must be one of urgent, high, medium, low, unspecified/);
    const stream = await cli(['advisories', '--stream', 'nope']);
    expect(stream.status).toBe(2);
    expect(stream.stderr).toMatch(/no stream "nope"/);
  });

  it('carries prints one row per stream, by URL too', async () => {
    const r = await cli(['carries', `https://bodhi.fedoraproject.org/updates/${U.ssh42}`, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(rows.find((x) => x.stream === 'testing-devel')).toEqual(expect.objectContaining({ carried: true, version: '9.8p1-4.fc41', fix: 'openssh-9.8p1-3.fc41.2', since: setup.sshSince }));
    expect(rows.find((x) => x.stream === 'stable')).toEqual(expect.objectContaining({ carried: false, fix: 'openssh-9.8p1-3.fc41.2', since: null }));
    expect(rows.find((x) => x.stream === 'rawhide')).toEqual(expect.objectContaining({ carried: null, fix: null, since: null }));
    const noCache = await cli(['carries', U.ssh42, '--stream', 'testing-devel', '--no-cache', '--json']);
    expect(JSON.parse(noCache.stdout)[0].since).toBe(setup.sshSince);
    const human = await cli(['carries', U.ssh42, '--stream', 'testing-devel']);
    expect(human.stdout).toMatch(/testing-devel\s+yes\s+9\.8p1-4\.fc41\s+openssh-9\.8p1-3\.fc41\.2/);
  });
});
