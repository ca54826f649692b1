/**
 * Trust what is read, as a user meets it: a lying Koji makes `pin --srpm` fail with one line
 * naming Koji and exit 1, writing no draft and caching nothing (it used to pin systemd); remote
 * text with terminal escape sequences reaches stderr without them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync } from '../../helpers/cli';
import { kojiBuild, kojiRpms, startHostile, xmlrpcAnswer, type Hostile } from '../../helpers/hostile-services';
import { createRepo, lockfileJson, overridesYaml, type RepoBuilder } from '../../helpers/repo-builder';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

const NVR = 'podman-5.2.6-1.fc41';
const ESC = '\u001b]0;owned\u0007\u001b[2J';

describe('hostile Fedora services through the CLI', () => {
  let srv: Hostile;
  let repo: RepoBuilder;
  const dataDir = makeTempDir('lockstep-data-');
  const cli = (args: string[], withRepo = true) =>
    runCliAsync(withRepo ? [...args, '--repo', repo.dir] : args, { env: { LOCKSTEP_DATA_DIR: dataDir, LOCKSTEP_BODHI_URL: srv.url, LOCKSTEP_KOJI_URL: `${srv.url}/kojihub`, GIT_AUTHOR_NAME: 'Ada', GIT_AUTHOR_EMAIL: 'ada@example.org' } });
  const branches = () => repo.git('branch', '--list', '--format=%(refname:short)').split('\n').filter(Boolean).sort();
  const cached = () => (fs.existsSync(path.join(dataDir, 'cache')) ? fs.readdirSync(path.join(dataDir, 'cache'), { recursive: true }).map(String).filter((f) => f.endsWith('.json')) : []);

  beforeAll(async () => {
    srv = await startHostile();
    repo = createRepo();
    repo.branch('testing-devel');
    const lock = (arch: string) => lockfileJson({ podman: { evra: `5:5.2.3-1.fc41.${arch}`, sourcerpm: 'podman' }, systemd: { evra: `256.7-1.fc41.${arch}`, sourcerpm: 'systemd' } });
    repo.commit('lockfiles: import', {
      'manifest-lock.x86_64.json': lock('x86_64'),
      'manifest-lock.aarch64.json': lock('aarch64'),
      'manifest-lock.s390x.json': lock('s390x'),
      'manifest-lock.overrides.yaml': overridesYaml({}),
      'build-args.conf': 'VERSION=41\n',
    });
  });
  afterAll(async () => {
    await srv.stop();
    cleanupTempDirs();
  });

  it('pin --srpm: Koji answering with another build is refused, nothing written or cached', async () => {
    srv.on((r) =>
      r.rpcMethod === 'getBuild'
        ? { kind: 'text', contentType: 'text/xml', body: xmlrpcAnswer(kojiBuild(NVR)) }
        : r.rpcMethod === 'listBuildRPMs'
          ? { kind: 'text', contentType: 'text/xml', body: xmlrpcAnswer(kojiRpms([['systemd', '256.8', '1.fc41', null, 'src'], ['systemd', '256.8', '1.fc41', null, 'x86_64']])) }
          : undefined,
    );
    const before = branches();
    const r = await cli(['pin', '--srpm', NVR, '--stream', 'testing-devel', '--reason', 'https://example.org/1']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^lockstep: Koji's listBuildRPMs\(podman-5\.2\.6-1\.fc41\) answer does not belong to that build/);
    expect(branches()).toEqual(before);
    expect(cached()).toEqual([]);
  });

  it('available: one deadline for the whole pool check, every arch; a hung pool is unknown', async () => {
    const d = await cli(['pin', 'podman', '5:5.2.6-1.fc41', '--stream', 'testing-devel', '--type', 'fast-track', '--bodhi', 'https://bodhi.fedoraproject.org/updates/FEDORA-2026-90d0000001']);
    expect(d.status, d.stderr).toBe(0);
    srv.on(() => ({ kind: 'hang' }));
    const t0 = Date.now();
    const r = await runCliAsync(['available', d.stdout.trim(), '--repo', repo.dir, '--repo-url', `${srv.url}/pool/$basearch/`, '--json'], { env: { LOCKSTEP_DATA_DIR: dataDir, LOCKSTEP_POOL_CHECK_MS: '1500' } });
    const took = Date.now() - t0;
    expect(r.status, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as { arch: string; status: string }[];
    expect(new Set(rows.map((x) => x.arch))).toEqual(new Set(['x86_64', 'aarch64', 's390x']));
    expect(rows.every((x) => x.status === 'unknown')).toBe(true);
    // Three arches hanging, one deadline of 1.5 s (plus the process's start): not 3 × 1.5 s.
    expect(took).toBeLessThan(4000);
  });

  it('escape sequences in what Bodhi says never reach the terminal', async () => {
    srv.on(() => ({ kind: 'json', status: 404, body: { status: 'error', errors: [{ location: 'url', name: 'id', description: `Invalid update id${ESC}` }] } }));
    const r = await cli(['srpms', 'FEDORA-2026-90d0000001'], false);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Invalid update id');
    expect(r.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    srv.on(() => ({ kind: 'json', status: 400, body: { status: 'error', errors: [{ location: 'querystring', name: 'releases', description: `Invalid releases specified: F41${ESC}` }] } }));
    const a = await cli(['advisories']);
    expect(a.stderr).toContain('Invalid releases specified: F41');
    expect(a.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });
});
