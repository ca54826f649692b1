import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateFromBodhiJson } from '../../../shared/bodhi/update';
import { startBodhi, startKoji, startRpmMd, type KojiRpm, type Served } from '../../helpers/build-services';
import { runCliAsync } from '../../helpers/cli';
import { createRepo, lockfileJson, overridesYaml, type RepoBuilder } from '../../helpers/repo-builder';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

const ID = { GIT_AUTHOR_NAME: 'Ada Maintainer', GIT_AUTHOR_EMAIL: 'ada@example.org' };
const REASON = 'https://github.com/coreos/fedora-coreos-tracker/issues/1809';
const UPDATE = 'FEDORA-2024-0a1b2c3d4e';
const UPDATE_URL = `https://bodhi.fedoraproject.org/updates/${UPDATE}`;
const AFTERBURN = 'FEDORA-2024-afb0000001';
const ARCHES = ['x86_64', 'aarch64', 's390x'];

const rpms = (version: string, release: string, epoch: number | null, spec: Record<string, string[]>): KojiRpm[] =>
  Object.entries(spec).flatMap(([name, arches]) => arches.map((arch) => ({ name, version, release, epoch, arch })));

// A grub2 build no lockfile has seen: noarch binaries, binaries on some arches only (no s390x
// at all, EFI binaries on one arch each), an epoch, and debuginfo no lockfile lists.
const GRUB2 = rpms('2.12', '9.fc40', 1, {
  grub2: ['src'],
  'grub2-common': ['noarch'],
  'grub2-tools': ['x86_64', 'aarch64', 'ppc64le'],
  'grub2-tools-minimal': ['x86_64', 'aarch64', 'ppc64le'],
  'grub2-pc': ['x86_64'],
  'grub2-efi-x64': ['x86_64'],
  'grub2-efi-aa64': ['aarch64'],
  'grub2-tools-debuginfo': ['x86_64', 'aarch64'],
});
const PODMAN = rpms('5.2.5', '1.fc40', 5, { podman: ['src', 'x86_64', 'aarch64', 's390x', 'ppc64le'], 'podman-docker': ['noarch'] });
const AFTERBURN_RPMS = rpms('5.7.0', '1.fc40', null, { 'rust-afterburn': ['src'], afterburn: ['x86_64', 'aarch64', 's390x'] });

function lockfiles(dist: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const arch of ARCHES) {
    const p: Record<string, { evra: string; sourcerpm: string }> = {
      podman: { evra: `5:5.2.3-1.${dist}.${arch}`, sourcerpm: 'podman' },
      afterburn: { evra: `5.6.0-1.${dist}.${arch}`, sourcerpm: 'rust-afterburn' },
      bash: { evra: `5.2.26-3.${dist}.${arch}`, sourcerpm: 'bash' },
      'grub2-tools-minimal': { evra: `1:2.12-4.${dist}.${arch}`, sourcerpm: 'grub2' },
    };
    if (arch !== 's390x') {
      p['grub2-common'] = { evra: `1:2.12-4.${dist}.noarch`, sourcerpm: 'grub2' };
      p['grub2-tools'] = { evra: `1:2.12-4.${dist}.${arch}`, sourcerpm: 'grub2' };
    }
    if (arch === 'x86_64') {
      p['grub2-pc'] = { evra: `1:2.12-4.${dist}.x86_64`, sourcerpm: 'grub2' };
      p['grub2-efi-x64'] = { evra: `1:2.12-4.${dist}.x86_64`, sourcerpm: 'grub2' };
    }
    if (arch === 'aarch64') p['grub2-efi-aa64'] = { evra: `1:2.12-4.${dist}.aarch64`, sourcerpm: 'grub2' };
    out[`manifest-lock.${arch}.json`] = lockfileJson(p);
  }
  return out;
}

/** What the build's binaries should make of each arch: name -> new evr (independent of Lockstep's placement). */
function expectedEffect(): Record<string, Record<string, string>> {
  const locks = lockfiles('fc40');
  const out: Record<string, Record<string, string>> = {};
  for (const arch of ARCHES) {
    const locked = JSON.parse(locks[`manifest-lock.${arch}.json`]).packages as Record<string, unknown>;
    out[arch] = {};
    for (const r of [...GRUB2, ...PODMAN]) {
      if (r.arch === 'src' || !locked[r.name] || (r.arch !== 'noarch' && r.arch !== arch)) continue;
      out[arch][r.name] = `${r.epoch ? `${r.epoch}:` : ''}${r.version}-${r.release}`;
    }
  }
  return out;
}

type DiffJson = Record<string, Record<'added' | 'removed' | 'upgraded' | 'downgraded' | 'arch_changed', Record<string, unknown>>>;

describe('drafts from a Bodhi update or source NVRs', () => {
  let repo: RepoBuilder;
  let bodhi: Served;
  let koji: Served;
  let env: Record<string, string>;
  const dataDir = makeTempDir('lockstep-data-');

  beforeAll(async () => {
    bodhi = await startBodhi([
      { alias: UPDATE, builds: ['grub2-2.12-9.fc40', 'podman-5.2.5-1.fc40'] },
      { alias: AFTERBURN, builds: ['rust-afterburn-5.7.0-1.fc40'] },
    ]);
    koji = await startKoji({ 'grub2-2.12-9.fc40': GRUB2, 'podman-5.2.5-1.fc40': PODMAN, 'rust-afterburn-5.7.0-1.fc40': AFTERBURN_RPMS });
    env = { ...ID, LOCKSTEP_DATA_DIR: dataDir, LOCKSTEP_BODHI_URL: bodhi.url, LOCKSTEP_KOJI_URL: `${koji.url}/kojihub` };
    repo = createRepo();
    repo.branch('testing-devel');
    repo.commit('lockfiles: import', { ...lockfiles('fc40'), 'manifest-lock.overrides.yaml': overridesYaml({}) });
    repo.branch('stable', 'testing-devel');
    // stable holds podman back on x86_64 in the arch file, which would win over an all-arch entry.
    repo.commit('overrides: pin podman on x86_64', { 'manifest-lock.overrides.x86_64.yaml': overridesYaml({ podman: { evra: '5:5.2.3-1.fc40.x86_64', type: 'pin', reason: REASON } }) });
    repo.branch('next-devel', 'testing-devel');
    repo.commit('lockfiles: f41', lockfiles('fc41'));
    repo.checkout('testing-devel');
  });
  afterAll(async () => {
    await bodhi.stop().catch(() => undefined);
    await koji.stop().catch(() => undefined);
    cleanupTempDirs();
  });

  const cli = (args: string[], extra: Record<string, string> = {}) => runCliAsync([...args, '--repo', repo.dir], { env: { ...env, ...extra } });
  const svc = (args: string[]) => runCliAsync(args, { env });
  /** A file of a commit, as git stores it (repo.git trims the last newline). */
  const show = (rev: string, file: string) => `${repo.git('show', `${rev}:${file}`)}\n`;
  const branches = () => repo.git('branch', '--list', '--format=%(refname:short)').split('\n').filter(Boolean).sort();
  const draftMeta = () => {
    try {
      return fs.readdirSync(path.join(repo.gitdir, 'lockstep', 'drafts')).sort();
    } catch {
      return [];
    }
  };
  async function effectOf(stream: string, branch: string) {
    const r = await cli(['diff', stream, branch, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout) as DiffJson;
    const out: Record<string, Record<string, string>> = {};
    for (const [arch, kinds] of Object.entries(d)) {
      expect(kinds.added, `${arch} added`).toEqual({});
      expect(kinds.removed, `${arch} removed`).toEqual({});
      expect(kinds.arch_changed, `${arch} arch_changed`).toEqual({});
      expect(kinds.downgraded, `${arch} downgraded`).toEqual({});
      out[arch] = Object.fromEntries(Object.entries(kinds.upgraded).map(([n, v]) => [n, (v as string[])[1]]));
    }
    return out;
  }

  it('srpms lists the update\'s source NVRs, by ID or URL; the list form reads the same', async () => {
    const r = await svc(['srpms', UPDATE_URL]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('grub2-2.12-9.fc40\npodman-5.2.5-1.fc40\n');
    const list = (await (await fetch(`${bodhi.url}/updates/?alias=${UPDATE}`)).json()) as { total: number };
    expect(list.total).toBe(1);
    expect(updateFromBodhiJson(list, UPDATE).builds).toEqual(['grub2-2.12-9.fc40', 'podman-5.2.5-1.fc40']);
  });

  let firstBranches: string[] = [];
  it('fast-tracks an update on two streams: each draft changes exactly the build\'s binaries on each arch that has them', async () => {
    const r = await cli(['pin', '--update', UPDATE, '--stream', 'testing-devel', '--stream', 'stable', '--reason', REASON]);
    expect(r.status, r.stderr).toBe(0);
    firstBranches = r.stdout.trim().split('\n');
    expect(firstBranches).toEqual(['lockstep/testing-devel/grub2-2.12-9.fc40', 'lockstep/stable/grub2-2.12-9.fc40']);
    expect(r.stderr).toMatch(/no lockfile lists grub2-tools-debuginfo, podman-docker: skipped/);
    expect(r.stderr).toMatch(/the build has no grub2-tools-minimal for s390x/);
    const want = expectedEffect();
    expect(await effectOf('testing-devel', firstBranches[0])).toEqual(want);
    expect(await effectOf('stable', firstBranches[1])).toEqual(want);
    // Upstream's conventions: title, Bodhi link, metadata.bodhi = the update's url.
    expect(repo.git('log', '-1', '--format=%s%n%b', firstBranches[0])).toBe(`overrides: fast-track grub2-2.12-9.fc40, podman-5.2.5-1.fc40\nBodhi: ${UPDATE_URL}\nSee: ${REASON}`);
    const all = show(firstBranches[0], 'manifest-lock.overrides.yaml');
    expect(all).toContain(`  grub2-common:\n    evra: 1:2.12-9.fc40.noarch\n    metadata:\n      bodhi: ${UPDATE_URL}\n      reason: ${REASON}\n      type: fast-track\n`);
    expect(all).toContain('  podman:\n    evr: 5:5.2.5-1.fc40\n');
    expect(all).not.toContain('grub2-tools-minimal');
    // Present on some arches only: per-arch evra entries, none for s390x.
    expect(show(firstBranches[0], 'manifest-lock.overrides.aarch64.yaml')).toContain('  grub2-tools-minimal:\n    evra: 1:2.12-9.fc40.aarch64\n');
    expect(repo.git('ls-tree', '--name-only', firstBranches[0])).not.toContain('manifest-lock.overrides.s390x.yaml');
    // stable's own x86_64 podman entry is updated too, or it would win.
    expect(show(firstBranches[1], 'manifest-lock.overrides.x86_64.yaml')).toContain('  podman:\n    evra: 5:5.2.5-1.fc40.x86_64\n');
    const meta = JSON.parse(fs.readFileSync(path.join(repo.gitdir, 'lockstep', 'drafts', `${encodeURIComponent(firstBranches[0])}.json`), 'utf8'));
    expect(meta.type).toBe('fast-track');
  });

  it('resolves a build from the cache without asking Koji again; Bodhi is asked, being editable', async () => {
    const kojiCalls = koji.requests.length;
    const bodhiCalls = bodhi.requests.length;
    const r = await cli(['pin', '--update', UPDATE, '--stream', 'testing-devel', '--reason', REASON, '--dry-run', '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(koji.requests.length).toBe(kojiCalls);
    expect(bodhi.requests.length).toBe(bodhiCalls + 1);
    expect(JSON.parse(r.stdout).files.sort()).toEqual(['manifest-lock.overrides.aarch64.yaml', 'manifest-lock.overrides.x86_64.yaml', 'manifest-lock.overrides.yaml']);
    const two = await cli(['pin', '--update', UPDATE, '--stream', 'testing-devel', '--stream', 'stable', '--reason', REASON, '--dry-run', '--json']);
    expect((JSON.parse(two.stdout) as { stream: string; branch: null }[]).map((d) => [d.stream, d.branch])).toEqual([['testing-devel', null], ['stable', null]]);
  });

  it('a dist-tag mismatch exits 2 naming package, tag and stream, and changes nothing', async () => {
    const before = { branches: branches(), meta: draftMeta() };
    const r = await cli(['pin', '--update', UPDATE, '--stream', 'testing-devel', '--stream', 'next-devel', '--reason', REASON]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^lockstep: grub2-common-1:2\.12-9\.fc40 \(grub2-2\.12-9\.fc40\) has dist tag \.fc40, but next-devel is on \.fc41; pass --ignore-dist-mismatch/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect({ branches: branches(), meta: draftMeta() }).toEqual(before);
    const forced = await cli(['pin', '--update', UPDATE, '--stream', 'next-devel', '--reason', REASON, '--ignore-dist-mismatch', '--dry-run']);
    expect(forced.status, forced.stderr).toBe(0);
  });

  it('unknown update or build exits 2; a pin from source NVRs needs a reason', async () => {
    const before = { branches: branches(), meta: draftMeta() };
    const u = await cli(['pin', '--update', 'FEDORA-2024-ffffffffff', '--stream', 'testing-devel']);
    expect(u.status).toBe(2);
    expect(u.stderr).toMatch(/Bodhi has no update FEDORA-2024-ffffffffff \(Invalid update id\)/);
    const b = await cli(['pin', '--srpm', 'podman-9.9.9-1.fc40', '--stream', 'testing-devel', '--reason', REASON]);
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/Koji has no build podman-9\.9\.9-1\.fc40/);
    const bad = await cli(['pin', '--update', 'podman-5.2.5-1.fc40', '--stream', 'testing-devel']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/"podman-5.2.5-1.fc40" is not a Bodhi update/);
    const noReason = await cli(['pin', '--srpm', 'podman-5.2.5-1.fc40', '--stream', 'testing-devel']);
    expect(noReason.status).toBe(2);
    expect(noReason.stderr).toMatch(/a pin must carry metadata.reason/);
    expect({ branches: branches(), meta: draftMeta() }).toEqual(before);
  });

  it('pins a source NVR (type pin, upstream title) and fast-tracks an FCOS-own package without a reason', async () => {
    const pin = await cli(['pin', '--srpm', 'podman-5.2.5-1.fc40', '--stream', 'stable', '--reason', REASON, '--json']);
    expect(pin.status, pin.stderr).toBe(0);
    const out = JSON.parse(pin.stdout);
    expect(out.branch).toBe('lockstep/stable/podman-5.2.5-1.fc40');
    expect(out.packages).toEqual({ podman: '5:5.2.5-1.fc40' });
    expect(repo.git('log', '-1', '--format=%s', out.branch)).toBe('overrides: pin podman-5.2.5-1.fc40');
    expect(show(out.branch, 'manifest-lock.overrides.yaml')).toContain(`  podman:\n    evr: 5:5.2.5-1.fc40\n    metadata:\n      reason: ${REASON}\n      type: pin\n`);
    const own = await cli(['pin', '--update', AFTERBURN, '--stream', 'testing-devel']);
    expect(own.status, own.stderr).toBe(0);
    expect(own.stderr).not.toMatch(/reason/);
    expect(show(own.stdout.trim(), 'manifest-lock.overrides.yaml')).toContain(`  afterburn:\n    evr: 5.7.0-1.fc40\n    metadata:\n      bodhi: https://bodhi.fedoraproject.org/updates/${AFTERBURN}\n      type: fast-track\n`);
  });

  it('works with the services stopped: from the cache, and with --offline', async () => {
    await bodhi.stop();
    await koji.stop();
    const want = expectedEffect();
    const cached = await cli(['pin', '--update', UPDATE, '--stream', 'testing-devel', '--stream', 'stable', '--reason', REASON]);
    expect(cached.status, cached.stderr).toBe(0);
    // The same request on the same bases, answered from the cache: the drafts saved before (one draft per request).
    const b1 = cached.stdout.trim().split('\n');
    expect(b1).toEqual(firstBranches);
    for (const b of b1) expect((await cli(['discard', b])).status).toBe(0);
    const offline = await cli(['pin', '--update', UPDATE_URL, '--stream', 'testing-devel', '--stream', 'stable', '--reason', REASON, '--offline']);
    expect(offline.status, offline.stderr).toBe(0);
    const b2 = offline.stdout.trim().split('\n');
    expect(b2).toEqual(firstBranches);
    expect(await effectOf('testing-devel', b2[0])).toEqual(want);
    expect(await effectOf('stable', b2[1])).toEqual(want);
    const srpms = await svc(['srpms', UPDATE, '--offline']);
    expect(srpms.stdout).toBe('grub2-2.12-9.fc40\npodman-5.2.5-1.fc40\n');
  });

  it('no network and nothing cached exits 1 naming the service', async () => {
    const fresh = { LOCKSTEP_DATA_DIR: makeTempDir('lockstep-empty-') };
    const before = { branches: branches(), meta: draftMeta() };
    const r = await cli(['pin', '--update', UPDATE, '--stream', 'testing-devel', '--reason', REASON], fresh);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^lockstep: Bodhi \(http:\/\/127\.0\.0\.1:\d+\) cannot be reached .* no answer for FEDORA-2024-0a1b2c3d4e is cached/);
    const k = await cli(['pin', '--srpm', 'podman-5.2.5-1.fc40', '--stream', 'testing-devel', '--reason', REASON], fresh);
    expect(k.status).toBe(1);
    expect(k.stderr).toMatch(/^lockstep: Koji \(http:\/\/127\.0\.0\.1:\d+\/kojihub\) cannot be reached/);
    const off = await cli(['pin', '--update', UPDATE, '--stream', 'testing-devel', '--offline'], fresh);
    expect(off.status).toBe(1);
    expect(off.stderr).toMatch(/offline: no cached Bodhi answer for FEDORA-2024-0a1b2c3d4e/);
    expect({ branches: branches(), meta: draftMeta() }).toEqual(before);
  });

  it('available: each NEVRA the draft writes, per arch, against the build pool; cached; unknown without metadata', async () => {
    const branch = firstBranches[0];
    const pool = await startRpmMd({
      x86_64: ['grub2-common-1:2.12-9.fc40.noarch', 'grub2-tools-1:2.12-9.fc40.x86_64', 'grub2-tools-minimal-1:2.12-9.fc40.x86_64', 'grub2-pc-1:2.12-9.fc40.x86_64', 'grub2-efi-x64-1:2.12-9.fc40.x86_64', 'podman-5:5.2.5-1.fc40.x86_64'],
      aarch64: ['grub2-common-1:2.12-9.fc40.noarch', 'grub2-tools-1:2.12-9.fc40.aarch64', 'grub2-tools-minimal-1:2.12-9.fc40.aarch64', 'grub2-efi-aa64-1:2.12-9.fc40.aarch64', 'podman-5:5.2.5-1.fc40.aarch64'],
      // podman was garbage-collected from the s390x pool.
      s390x: ['podman-5:5.2.4-1.fc40.s390x'],
    });
    const url = `${pool.url}/$basearch/`;
    const r = await cli(['available', branch, '--repo-url', url, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as { nevra: string; arch: string; status: string; checked: string | null }[];
    expect(rows.filter((x) => x.status !== 'available').map((x) => [x.nevra, x.arch, x.status])).toEqual([['podman-5:5.2.5-1.fc40.s390x', 's390x', 'missing']]);
    expect(rows.map((x) => `${x.arch} ${x.nevra}`).sort()).toEqual(
      Object.entries(expectedEffect())
        .flatMap(([arch, pkgs]) => Object.entries(pkgs).map(([n, evr]) => `${arch} ${n}-${evr}.${n === 'grub2-common' ? 'noarch' : arch}`))
        .sort(),
    );
    expect(rows[0].checked).toMatch(/^\d{4}-\d\d-\d\dT/);
    await pool.stop();
    const offline = await cli(['available', branch, '--repo-url', url, '--offline', '--json']);
    expect(JSON.parse(offline.stdout)).toEqual(rows);
    const none = await cli(['available', branch, '--repo-url', 'http://127.0.0.1:9/$basearch/', '--json']);
    expect(none.status).toBe(0);
    expect(new Set(JSON.parse(none.stdout).map((x: { status: string }) => x.status))).toEqual(new Set(['unknown']));
    expect(none.stderr).toMatch(/could not read the x86_64 repos/);
  });
});
