import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBodhi, startKoji, startRpmMd, type KojiRpm, type Served } from '../../helpers/build-services';
import { bundleForChild, childNodePath } from '../../helpers/bundle-for-child';
import type { CliResult } from '../../helpers/cli';
import { startForge, type ForgeStandIn } from '../../helpers/forge-stand-in';
import { startGitServer, type GitServer } from '../../helpers/git-server';
import { baseEnv, dataDirIn, faultEnv, killEverywhere, leftovers, lockstep, snapshot, unseenWrites } from '../../helpers/kill-harness';
import { killPoints, parseTrace } from '../../helpers/kill-points';
import { createRepo, lockfileJson, overridesYaml } from '../../helpers/repo-builder';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

// The writing commands kill-at-every-write.test.ts does not drive, killed before their first
// write and after every one (the same harness: every write seen, then per point a SIGKILL, the
// next command's repair, `git fsck`, no temp or pending file, and the draft old or new, whole).
// The data folder (Bodhi's and Koji's answer cache) is inside the repo folder here, so its
// writes are counted and killed too.
const REASON = 'https://github.com/coreos/fedora-coreos-tracker/issues/1809';
const BODHI = 'https://bodhi.fedoraproject.org/updates/FEDORA-2024-f0fd63c638';
const UPDATE = 'FEDORA-2024-0a1b2c3d4e';
const show = (dir: string, rev: string, file: string) => execFileSync('git', ['--git-dir', dir, 'show', `${rev}:${file}`]).toString();
const dataIn = (dir: string) => ({ LOCKSTEP_DATA_DIR: dataDirIn(dir) });

/** Runs a step of test/helpers/fault-driver.ts (a service call no CLI command makes alone) in a child process. */
function driver(args: string[], env: Record<string, string>): Promise<CliResult> {
  const script = bundleForChild('test/helpers/fault-driver.ts');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, ...childNodePath, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status, signal) => resolve({ status: status ?? -1, stdout, stderr, signal }));
  });
}

const OVERRIDES = (kernel: string, podman: string) => `# header\npackages:\n  kernel:\n    evr: ${kernel}\n    metadata:\n      type: pin\n      reason: https://example.org/1\n  podman:\n    evr: ${podman}\n    metadata:\n      type: pin\n      reason: https://example.org/2\n`;

describe('a kill at every write of the other writing commands', () => {
  let home: string;
  let bodhi: Served;
  let koji: Served;
  let rpmmd: Served;
  let source: string;

  beforeAll(async () => {
    home = makeTempDir();
    const podman: KojiRpm[] = ['src', 'x86_64'].map((arch) => ({ name: 'podman', version: '5.2.5', release: '1.fc40', epoch: 5, arch }));
    bodhi = await startBodhi([{ alias: UPDATE, builds: ['podman-5.2.5-1.fc40'] }]);
    koji = await startKoji({ 'podman-5.2.5-1.fc40': podman });
    // The stable update repos carry podman 5.2.6: its fast-track has graduated.
    rpmmd = await startRpmMd({ x86_64: ['podman-5:5.2.6-1.fc40.x86_64', 'kernel-6.11.9-200.fc40.x86_64'] });
    const up = createRepo();
    up.branch('testing-devel');
    up.commit('lockfiles: import', {
      'manifest-lock.x86_64.json': lockfileJson({
        podman: { evra: '5:5.2.3-1.fc40.x86_64', sourcerpm: 'podman' },
        kernel: { evra: '6.10.1-200.fc40.x86_64', sourcerpm: 'kernel' },
      }),
      'manifest-lock.overrides.yaml': overridesYaml({
        podman: { evr: '5:5.2.4-1.fc40', type: 'fast-track', bodhi: BODHI },
        kernel: { evr: '6.10.1-200.fc40', type: 'pin', reason: REASON },
      }),
    });
    up.branch('stable', 'testing-devel');
    source = up.bareClone(path.join(makeTempDir(), 'source.git'));
  });
  afterAll(async () => {
    await Promise.all([bodhi, koji, rpmmd].map((s) => s?.stop().catch(() => undefined)));
    cleanupTempDirs();
  });

  it('pin --update on two streams: each stream\'s draft is saved whole or not at all', async () => {
    const services = (dir: string) => ({ ...dataIn(dir), LOCKSTEP_BODHI_URL: bodhi.url, LOCKSTEP_KOJI_URL: `${koji.url}/kojihub` });
    const n = await killEverywhere({
      home,
      source,
      args: ['pin', '--update', UPDATE, '--stream', 'testing-devel', '--stream', 'stable', '--type', 'pin', '--reason', REASON],
      env: services,
      // Two drafts, each its record renamed in after its branch's compare-and-swap.
      expects: [/after rename \/refs\/heads\/lockstep\/testing-devel\/\.\S+ -> /, /after rename \/refs\/heads\/lockstep\/stable\/\.\S+ -> /, /after renameSync \/lockstep\/drafts\/\S+testing-devel\S+\.json\.pending -> /, /after renameSync \/lockstep\/drafts\/\S+stable\S+\.json\.pending -> /],
      check: async (dir, drafts) => {
        expect(drafts.length, 'one draft per stream at most').toBeLessThanOrEqual(2);
        for (const d of drafts) expect(show(dir, d.head, 'manifest-lock.overrides.yaml')).toMatch(/podman:\n\s+evr: 5:5\.2\.5-1\.fc40/);
        // The next command works: the same pin, run again, drafts what is missing.
        const again = await lockstep(['pin', '--update', UPDATE, '--stream', 'testing-devel', '--stream', 'stable', '--type', 'pin', '--reason', REASON, '--json', '--repo', dir], { ...baseEnv(home), ...services(dir) });
        expect(again.status, again.stderr).toBe(0);
        expect(leftovers(dataDirIn(dir)), 'temps in the answer cache, after its next write').toEqual([]);
      },
    });
    expect(n).toBeGreaterThan(20);
  }, 300_000);

  it('graduated --draft: the removal is drafted whole or not at all', async () => {
    const n = await killEverywhere({
      home,
      source,
      args: ['graduated', '--stream', 'testing-devel', '--repo-url', `${rpmmd.url}/$basearch/`, '--draft'],
      env: dataIn,
      expects: [/after rename \/refs\/heads\/lockstep\/testing-devel\/\.drop-graduated\.tmp-\S+ -> /, /after renameSync \/lockstep\/drafts\/\S+drop-graduated\.json\.pending -> /],
      check: (dir, drafts) => {
        expect(drafts.map((d) => d.branch).filter((b) => b !== 'lockstep/testing-devel/drop-graduated')).toEqual([]);
        for (const d of drafts) {
          const text = show(dir, d.head, 'manifest-lock.overrides.yaml');
          expect(text).not.toContain('podman:');
          expect(text).toContain('kernel:');
        }
      },
    });
    expect(n).toBeGreaterThan(8);
  }, 240_000);
});

describe('a kill at every write of a raw edit, its three-way rebase, settings and tokens', () => {
  let home: string;
  let source: string;
  let first: string;
  let stale: string;
  let branch: string;
  const edited = OVERRIDES('6.10.2-200.fc40', '5:5.2.3-1.fc40');

  beforeAll(async () => {
    home = makeTempDir();
    const up = createRepo();
    up.branch('testing-devel');
    first = up.commit('import', {
      'manifest-lock.x86_64.json': lockfileJson({ kernel: { evra: '6.10.1-200.fc40.x86_64', sourcerpm: 'kernel' }, podman: { evra: '5:5.2.3-1.fc40.x86_64', sourcerpm: 'podman' } }),
      'manifest-lock.overrides.yaml': OVERRIDES('6.10.1-200.fc40', '5:5.2.3-1.fc40'),
    });
    // Upstream edits podman's line after the editor read the file at `first`.
    up.commit('overrides: pin podman 5.2.4', { 'manifest-lock.overrides.yaml': OVERRIDES('6.10.1-200.fc40', '5:5.2.4-1.fc40') });
    source = up.bareClone(path.join(makeTempDir(), 'raw.git'));
    // A copy holding the raw edit saved on `first`: stale, for the rebase.
    stale = path.join(makeTempDir(), 'stale.git');
    fs.cpSync(source, stale, { recursive: true });
    const text = path.join(makeTempDir(), 'edited.yaml');
    fs.writeFileSync(text, edited);
    const saved = await driver(['raw-save', stale, 'testing-devel', first, 'manifest-lock.overrides.yaml', text], baseEnv(home));
    expect(saved.status, saved.stderr).toBe(0);
    branch = saved.stdout.trim();
  });
  afterAll(() => cleanupTempDirs());

  it('raw-edit save: the edit is saved whole, on the commit it was read at, or not at all', async () => {
    const text = path.join(makeTempDir(), 'edited.yaml');
    fs.writeFileSync(text, edited);
    const n = await killEverywhere({
      home,
      source,
      run: (dir, env) => driver(['raw-save', dir, 'testing-devel', first, 'manifest-lock.overrides.yaml', text], env),
      expects: [/after rename \/refs\/heads\/lockstep\/testing-devel\/\.\S+ -> /, /after renameSync \/lockstep\/drafts\/\S+\.json\.pending -> /],
      check: (dir, drafts) => {
        expect(drafts.length, 'one draft or none').toBeLessThanOrEqual(1);
        for (const d of drafts) {
          expect(d.base).toBe(first);
          expect(show(dir, d.head, 'manifest-lock.overrides.yaml')).toBe(edited);
        }
      },
    });
    expect(n).toBeGreaterThan(8);
  }, 240_000);

  it('raw-edit rebase (three-way): the draft stays, its edit on the old base or merged on the new one', async () => {
    const head = execFileSync('git', ['--git-dir', stale, 'rev-parse', 'refs/heads/testing-devel']).toString().trim();
    await killEverywhere({
      home,
      source: stale,
      args: ['rebase', branch],
      check: (dir, drafts) => {
        expect(drafts.map((d) => d.branch)).toEqual([branch]);
        const d = drafts[0];
        expect([first, head]).toContain(d.base);
        // On the new base: both edits, ours (kernel) and upstream's (podman).
        expect(show(dir, d.head, 'manifest-lock.overrides.yaml')).toBe(d.base === first ? edited : OVERRIDES('6.10.2-200.fc40', '5:5.2.4-1.fc40'));
      },
    });
  }, 240_000);

  /**
   * Kills `args` of the driver at every write under `folder` (a data folder: no repo), and in
   * the middle of each write of bytes, then checks that `file` holds its old text or its new
   * one, and that the next write works.
   */
  async function killFileWrite(file: string, args: (file: string) => string[], old: string | null, check: (text: string) => void): Promise<number> {
    const work = makeTempDir();
    const setUp = (name: string) => {
      const folder = path.join(work, name);
      fs.mkdirSync(folder);
      if (old !== null) fs.writeFileSync(path.join(folder, file), old, { mode: 0o600 });
      return folder;
    };
    const traced = setUp('traced');
    const trace = path.join(work, 'trace.txt');
    const before = snapshot(traced);
    const full = await driver(args(path.join(traced, file)), faultEnv(home, traced, { LOCKSTEP_FAULT_TRACE: trace }));
    expect(full.status, full.stderr).toBe(0);
    const text = fs.readFileSync(trace, 'utf8');
    expect(unseenWrites(before, snapshot(traced), text), 'writes the fault hook did not see').toEqual([]);
    const newText = fs.readFileSync(path.join(traced, file), 'utf8');
    check(newText);
    // A kill at each call's edges, and one in the middle of each write of bytes (half written):
    // what tells a file written in place from one renamed in whole.
    const torn = parseTrace(text)
      .filter((p) => p.phase === 'before' && /^(handle\.)?(writeFile|appendFile|write|writev)(Sync)?$/.test(p.op))
      .map((p) => ({ k: p.n, env: { LOCKSTEP_FAULT_TORN: String(p.n) } }));
    const at = [...killPoints(text).map((k) => ({ k, env: { LOCKSTEP_FAULT_AT: String(k) } })), ...torn];
    for (const { k, env } of at) {
      const folder = setUp(`k${k}-${Object.keys(env)[0]}`);
      const killed = await driver(args(path.join(folder, file)), faultEnv(home, folder, env));
      expect(killed.signal, `point ${k}: exited ${killed.status}: ${killed.stderr}`).toBe('SIGKILL');
      const now = fs.existsSync(path.join(folder, file)) ? fs.readFileSync(path.join(folder, file), 'utf8') : null;
      expect([old, newText], `point ${k}: the file is old or new`).toContain(now);
      // The next write works, and leaves nothing beside the file.
      const again = await driver(args(path.join(folder, file)), baseEnv(home));
      expect(again.status, `point ${k}: ${again.stderr}`).toBe(0);
      expect(fs.readFileSync(path.join(folder, file), 'utf8')).toBe(newText);
      expect(fs.readdirSync(folder), `point ${k}: only the file is left`).toEqual([file]);
    }
    return at.length;
  }

  it('settings: the file holds the old settings or the new ones, whole', async () => {
    const n = await killFileWrite('settings.json', (file) => ['settings', file, 'pushRemote', '"fork"'], `${JSON.stringify({ pushRemote: 'origin' }, null, 2)}\n`, (text) => {
      expect(JSON.parse(text).pushRemote).toBe('fork');
    });
    expect(n).toBeGreaterThan(2);
  }, 120_000);

  it('tokens: the token file holds the old tokens or the new ones, whole', async () => {
    const n = await killFileWrite('tokens.json', (file) => ['token', file, 'https://example.org/x.git', 'ada', 'secret'], null, (text) => {
      expect(Object.values(JSON.parse(text))).toEqual([{ username: 'ada', password: 'secret' }]);
    });
    expect(n).toBeGreaterThan(2);
  }, 120_000);
});

describe('a kill at every write of an ordered push', () => {
  let home: string;
  let server: GitServer;
  let forge: ForgeStandIn;
  let root: string;
  let source: string;
  const drafts: { branch: string; head: string }[] = [];
  const forgeEnv = () => ({ LOCKSTEP_GITHUB_TOKEN: 'test-token', LOCKSTEP_GITHUB_API_URL: forge.url });

  beforeAll(async () => {
    home = makeTempDir();
    const up = createRepo();
    up.branch('testing-devel');
    up.commit('lockfiles: import', { 'manifest-lock.x86_64.json': lockfileJson({ a: { evra: '1.0-1.fc40.x86_64', sourcerpm: 'a' } }), 'manifest-lock.overrides.yaml': overridesYaml({}) });
    up.branch('next-devel', 'testing-devel');
    // Its own head: the two drafts are different commits (checks are told apart by commit).
    up.commit('lockfiles: bump', { 'manifest-lock.x86_64.json': lockfileJson({ a: { evra: '1.0-1.fc40.x86_64', sourcerpm: 'a' }, e: { evra: '1.0-1.fc40.x86_64', sourcerpm: 'e' } }) });
    root = makeTempDir();
    up.bareClone(path.join(root, 'coreos', 'fedora-coreos-config.git'));
    server = await startGitServer({ root });
    forge = await startForge();
    source = path.join(makeTempDir(), 'source.git');
    expect((await lockstep(['clone', server.repoUrl('coreos/fedora-coreos-config.git'), source], baseEnv(home))).status).toBe(0);
    for (const stream of ['testing-devel', 'next-devel']) {
      const r = await lockstep(['pin', 'a', '0.9-1.fc40', '--stream', stream, '--type', 'pin', '--reason', REASON, '--json', '--repo', source], baseEnv(home));
      expect(r.status, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout) as { branch: string; commit: string };
      drafts.push({ branch: j.branch, head: j.commit });
      // Green from the start: the queue pushes the second once it sees the first's checks passed.
      forge.setChecks(j.commit, 'success');
    }
  });
  afterAll(async () => {
    await server?.stop();
    await forge?.stop();
    cleanupTempDirs();
  });

  it('push --in-order: each draft stays whole and its queue record readable', async () => {
    // Each run pushes to a remote of its own, a copy of the upstream repo.
    const remoteFor = (dir: string) => {
      const name = path.basename(dir, '.git');
      const repo = path.join(root, name, 'fedora-coreos-config.git');
      if (!fs.existsSync(repo)) fs.cpSync(path.join(root, 'coreos', 'fedora-coreos-config.git'), repo, { recursive: true });
      execFileSync('git', ['--git-dir', dir, 'remote', 'set-url', 'origin', server.repoUrl(`${name}/fedora-coreos-config.git`)]);
    };
    const args = ['push', drafts[0].branch, drafts[1].branch, '--in-order'];
    await killEverywhere({
      home,
      source,
      prepare: remoteFor,
      run: (dir, env) => lockstep([...args, '--repo', dir], { ...env, ...forgeEnv() }),
      env: forgeEnv,
      check: (_dir, listed) => {
        expect(listed.map((d) => [d.branch, d.head]).sort()).toEqual(drafts.map((d) => [d.branch, d.head]).sort());
        // A record cut in half would list as "unreadable". (A CLI retry of the ordered push is
        // refused while a record says "queued": the app's queue resumes it at open, not tested here.)
        for (const d of listed) expect(d.state).not.toBe('unreadable');
      },
    });
  }, 600_000);
});
