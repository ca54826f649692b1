import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli';
import { createRepo, lockfileJson, overridesYaml, REPO_HEADER, type RepoBuilder } from '../../helpers/repo-builder';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

const ID = { GIT_AUTHOR_NAME: 'Ada Maintainer', GIT_AUTHOR_EMAIL: 'ada@example.org' };
const REASON = 'https://github.com/coreos/fedora-coreos-tracker/issues/1809';
const BODHI = 'https://bodhi.fedoraproject.org/updates/FEDORA-2024-f0fd63c638';

function arches(lvm: string, dm: string, podman: string) {
  const files: Record<string, string> = {};
  for (const arch of ['x86_64', 'aarch64']) {
    files[`manifest-lock.${arch}.json`] = lockfileJson({
      lvm2: { evra: `${lvm}.${arch}`, sourcerpm: 'lvm2' },
      'lvm2-libs': { evra: `${lvm}.${arch}`, sourcerpm: 'lvm2' },
      'device-mapper': { evra: `${dm}.${arch}`, sourcerpm: 'lvm2' },
      podman: { evra: `5:${podman}.${arch}`, sourcerpm: 'podman' },
      'fedora-repos': { evra: '40-2.noarch', sourcerpm: 'fedora-repos' },
      ...(arch === 'x86_64' ? { 'grub2-pc': { evra: '1:2.12-4.fc40.x86_64', sourcerpm: 'grub2' } } : {}),
    });
  }
  return files;
}

const HEADERED = `${REPO_HEADER}\npackages:\n  # held for the tracker issue\n  podman:\n    evr: 5:5.2.4-1.fc40\n    metadata:\n      reason: ${REASON}\n      type: pin\n`;

describe('drafting overrides with the CLI', () => {
  let repo: RepoBuilder;
  let clone: string;
  const cli = (args: string[], env: Record<string, string> = ID) => runCli([...args, '--repo', clone], { env });

  beforeAll(() => {
    repo = createRepo();
    repo.branch('testing-devel');
    // History where lvm2 was at 2.03.22 with device-mapper 1.02.196: a source whose binaries
    // do not share its version.
    repo.commit('lockfiles: old', { ...arches('2.03.22-1.fc40', '1.02.196-1.fc40', '5.2.3-1.fc40'), 'manifest-lock.overrides.yaml': overridesYaml({}) });
    repo.commit('lockfiles: bump', { ...arches('2.03.23-1.fc40', '1.02.197-1.fc40', '5.2.4-1.fc40'), 'manifest-lock.overrides.yaml': HEADERED });
    repo.branch('stable', 'testing-devel');
    repo.checkout('testing-devel');
    clone = path.join(makeTempDir(), 'clone');
    execFileSync('git', ['clone', '-q', '-b', 'testing-devel', repo.dir, clone]);
    fs.writeFileSync(path.join(clone, 'uncommitted.txt'), 'my work\n');
  });
  afterAll(() => cleanupTempDirs());

  const gitIn = (...args: string[]) => execFileSync('git', ['-C', clone, ...args]).toString().trim();

  it('pins a source package, each binary with its own EVR from history, comments intact', () => {
    const statusBefore = gitIn('status', '--porcelain');
    const headBefore = gitIn('rev-parse', 'HEAD');
    const r = cli(['pin', 'lvm2', '2.03.22-1.fc40', '--stream', 'stable', '--type', 'pin', '--reason', REASON, '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.branch).toBe('lockstep/stable/lvm2-2.03.22-1.fc40');
    expect(out.base).toBe(repo.rev('stable'));
    expect(out.files).toEqual(['manifest-lock.overrides.yaml']);
    expect(out.packages).toEqual({ 'device-mapper': '1.02.196-1.fc40', lvm2: '2.03.22-1.fc40', 'lvm2-libs': '2.03.22-1.fc40' });
    // The override file diff is exactly the new entries.
    const diff = gitIn('diff', `${out.base}`, out.commit, '--', 'manifest-lock.overrides.yaml');
    const added = diff.split('\n').filter((l) => l.startsWith('+') && !l.startsWith('+++'));
    const removed = diff.split('\n').filter((l) => l.startsWith('-') && !l.startsWith('---'));
    expect(removed).toEqual([]);
    expect(added).toEqual([
      '+  device-mapper:', '+    evr: 1.02.196-1.fc40', '+    metadata:', `+      reason: ${REASON}`, '+      type: pin',
      '+  lvm2:', '+    evr: 2.03.22-1.fc40', '+    metadata:', `+      reason: ${REASON}`, '+      type: pin',
      '+  lvm2-libs:', '+    evr: 2.03.22-1.fc40', '+    metadata:', `+      reason: ${REASON}`, '+      type: pin',
    ]);
    expect(gitIn('log', '-1', '--format=%s%n%b%n%an <%ae>', out.commit)).toBe(`overrides: pin lvm2-2.03.22-1.fc40\nSee: ${REASON}\n\nAda Maintainer <ada@example.org>`);
    // The effect: exactly the pinned packages move, on every arch.
    const effect = JSON.parse(runCli(['diff', 'stable', out.branch, '--repo', clone, '--json']).stdout);
    for (const arch of ['x86_64', 'aarch64']) {
      expect(effect[arch].downgraded).toEqual({
        'device-mapper': ['1.02.197-1.fc40', '1.02.196-1.fc40'],
        lvm2: ['2.03.23-1.fc40', '2.03.22-1.fc40'],
        'lvm2-libs': ['2.03.23-1.fc40', '2.03.22-1.fc40'],
      });
    }
    // Never touches the work tree, HEAD or index.
    expect(gitIn('status', '--porcelain')).toBe(statusBefore);
    expect(gitIn('rev-parse', 'HEAD')).toBe(headBefore);
    expect(execFileSync('git', ['-C', clone, 'fsck', '--strict']).toString()).toBe('');
  });

  it('prints only the branch name by default, numbering taken names', () => {
    // Another request for the same version (another reason) takes the next free name.
    const r = cli(['pin', 'lvm2', '2.03.22-1.fc40', '--stream', 'stable', '--type', 'pin', '--reason', `${REASON}#again`]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('lockstep/stable/lvm2-2.03.22-1.fc40-2\n');
  });

  it('writes noarch packages with evra and replaces an existing entry keeping its comment', () => {
    const r = cli(['pin', 'fedora-repos', '40-1', 'podman', '5:5.2.3-1.fc40', '--stream', 'testing-devel', '--type', 'fast-track', '--bodhi', BODHI, '--reason', REASON, '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.packages).toEqual({ 'fedora-repos': '40-1.noarch', podman: '5:5.2.3-1.fc40' });
    const text = gitIn('show', `${out.commit}:manifest-lock.overrides.yaml`);
    expect(text).toContain('  fedora-repos:\n    evra: 40-1.noarch\n');
    expect(text).toContain(`  # held for the tracker issue\n  podman:\n    evr: 5:5.2.3-1.fc40\n    metadata:\n      bodhi: ${BODHI}\n      reason: ${REASON}\n      type: fast-track`);
    expect(text.startsWith(REPO_HEADER)).toBe(true);
    expect(gitIn('log', '-1', '--format=%s', out.commit)).toBe('overrides: fast-track fedora-repos-40-1, podman-5.2.3-1.fc40');
  });

  it('writes an explicit arch into that arch file, created with the header', () => {
    const r = cli(['pin', 'grub2-pc', '1:2.12-3.fc40', '--stream', 'testing-devel', '--type', 'pin', '--reason', REASON, '--arch', 'x86_64', '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.files).toEqual(['manifest-lock.overrides.x86_64.yaml']);
    const text = gitIn('show', `${out.commit}:manifest-lock.overrides.x86_64.yaml`);
    expect(text.startsWith(REPO_HEADER)).toBe(true);
    expect(text).toContain('  grub2-pc:\n    evra: 1:2.12-3.fc40.x86_64\n');
  });

  it('refuses bad input with exit 2, creating nothing', () => {
    const refs = () => gitIn('for-each-ref', '--format=%(refname)');
    const before = refs();
    const cases: [string[], RegExp][] = [
      [['pin', 'lvm2', '2.03.22-1.fc40', '--stream', 'stable', '--type', 'pin'], /a pin must carry metadata.reason/],
      [['pin', 'lvm2', '2.03.22-1.fc40', '--stream', 'stable', '--type', 'pin', '--reason', 'because'], /must be a URL/],
      [['pin', 'lvm2', '2.03.22-1.fc40', '--stream', 'nope', '--type', 'pin', '--reason', REASON], /unknown stream "nope"/],
      [['pin', 'lvm2', '2.03.99-1.fc40', '--stream', 'stable', '--type', 'pin', '--reason', REASON], /EVRs of its binaries are unknown.*device-mapper/],
      [['pin', 'podman', '5.2.3-1.fc40', '--stream', 'stable', '--type', 'pin', '--reason', REASON], /epoch 5/],
      [['pin', 'nosuch', '1-1', '--stream', 'stable', '--type', 'pin', '--reason', REASON], /no lockfile of the stream has this package/],
      [['pin', 'lvm2', '1/2-1', '--stream', 'stable', '--type', 'pin', '--reason', REASON], /invalid EVR/],
      [['pin', 'lvm2', '--stream', 'stable', '--type', 'pin', '--reason', REASON], /PACKAGE EVR pairs/],
      [['pin', 'lvm2', '2.03.22-1.fc40', '--stream', 'stable', '--type', 'hold'], /--type must be pin or fast-track/],
      [['unpin', 'lvm2', '--stream', 'stable'], /no override on this stream names it/],
    ];
    for (const [args, re] of cases) {
      const r = cli(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(re);
      expect(r.stdout).toBe('');
    }
    expect(refs()).toBe(before);
  });

  it('asks for the git identity when none is set', () => {
    const env = { HOME: makeTempDir(), XDG_CONFIG_HOME: makeTempDir(), GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: '', GIT_AUTHOR_EMAIL: '' };
    const r = runCli(['pin', 'lvm2', '2.03.22-1.fc40', '--stream', 'stable', '--type', 'pin', '--reason', REASON, '--repo', clone], {
      env: { ...env, GIT_AUTHOR_NAME: undefined as unknown as string, GIT_AUTHOR_EMAIL: undefined as unknown as string },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/git config --global user.name/);
  });

  it('warns on a fast-track without Bodhi and goes on', () => {
    const r = cli(['pin', 'podman', '5:5.2.5-1.fc40', '--stream', 'stable', '--type', 'fast-track', '--reason', REASON]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/warning: podman: a fast-track should carry metadata.bodhi/);
    expect(r.stdout).toBe('lockstep/stable/podman-5.2.5-1.fc40\n');
  });

  it('prints the change with --dry-run and writes nothing', () => {
    const before = gitIn('for-each-ref', '--format=%(refname) %(objectname)');
    const r = cli(['unpin', 'podman', '--stream', 'stable', '--dry-run']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('overrides: unpin podman-5.2.4-1.fc40');
    expect(r.stdout).toContain('-  # held for the tracker issue\n-  podman:');
    // The pin held the lockfile's own version: removing it moves nothing.
    expect(r.stdout).toContain('Effect on the effective locks:\n  (none: no effective version changes)');
    expect(gitIn('for-each-ref', '--format=%(refname) %(objectname)')).toBe(before);
  });

  it('lists drafts, marks them stale when the stream moves, and discards them', () => {
    let list = JSON.parse(cli(['drafts', '--json']).stdout) as { branch: string; stream: string; stale: boolean; type: string; state: string }[];
    expect(list.length).toBeGreaterThanOrEqual(4);
    expect(list.every((d) => !d.stale && d.state === 'draft')).toBe(true);
    // The stream moves upstream and is fetched.
    repo.checkout('stable');
    repo.commit('lockfiles: bump stable', { 'README.md': 'moved\n' });
    repo.checkout('testing-devel');
    gitIn('fetch', '-q', 'origin');
    list = JSON.parse(cli(['drafts', '--json']).stdout);
    expect(list.filter((d) => d.stream === 'stable').every((d) => d.stale)).toBe(true);
    expect(list.filter((d) => d.stream === 'testing-devel').every((d) => !d.stale)).toBe(true);
    const victim = list.find((d) => d.type === 'fast-track' && d.stream === 'stable')!.branch;
    expect(cli(['discard', victim]).status).toBe(0);
    expect((JSON.parse(cli(['drafts', '--json']).stdout) as { branch: string }[]).map((d) => d.branch)).not.toContain(victim);
    expect(() => gitIn('rev-parse', '--verify', '-q', `refs/heads/${victim}`)).toThrow();
    const again = cli(['discard', victim]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/no draft/);
  });
  // Kills of a save are tested at every write point, not at random ones: test/integration/faults/kill-at-every-write.test.ts.
});
