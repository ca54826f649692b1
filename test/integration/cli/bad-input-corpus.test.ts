import { execFile, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { CLI, REPO_ROOT } from '../../helpers/cli';
import { createRepo, lockfileJson, overridesYaml } from '../../helpers/repo-builder';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

// The bad-input corpus (test/data/bad-input/*.yaml): malformed lockfiles and override files
// committed on a stream, hostile package names, refs, EVRs, identities, branch names and repo
// layouts, kept as data so it grows. Each case runs the built CLI on its own copy of a small
// repo that already holds a draft, and asserts: the exit status of SPEC §4 (2 bad input, 1 other),
// exactly one line on stderr naming the problem, no stack trace, `git fsck` clean, and the draft
// that was there before untouched.
const gitAsync = promisify(execFile);
const DATA = path.join(REPO_ROOT, 'test/data/bad-input');
const REASON = 'https://github.com/coreos/fedora-coreos-tracker/issues/1';
const ID = { GIT_AUTHOR_NAME: 'Ada Maintainer', GIT_AUTHOR_EMAIL: 'ada@example.org', GIT_COMMITTER_NAME: 'Ada Maintainer', GIT_COMMITTER_EMAIL: 'ada@example.org' };

interface Case {
  id: string;
  /** Files committed on top of `stream` (null removes one); text as written, or `base64:...`. */
  files?: Record<string, string | null>;
  stream?: string;
  /** CLI arguments; `--repo DIR` is appended unless `norepo`. `{draft}` is the draft's branch. */
  run?: string[];
  norepo?: boolean;
  /** Environment for the run; null unsets a variable (the identity variables are set by default). */
  env?: Record<string, string | null>;
  /** `git config` of the copy before the run. */
  config?: Record<string, string>;
  /** A repo layout instead of the plain copy. */
  layout?: 'not-a-repo' | 'missing' | 'shallow' | 'partial' | 'alternates' | 'dotgit-nowhere' | 'truncated-idx' | 'idx-mismatch' | 'pack-without-idx' | 'worktree';
  exit: 0 | 1 | 2;
  /** A regular expression stderr must match (case-insensitive). */
  match?: string;
  why?: string;
  /**
   * A known gap outside this corpus's reach, named with where the fix goes. The case is kept
   * (and listed as skipped) until the fix lands and this field is removed.
   */
  gap?: string;
}

function loadCases(): Case[] {
  const out: Case[] = [];
  for (const f of fs.readdirSync(DATA).filter((n) => n.endsWith('.yaml')).sort()) {
    const doc = parseYaml(fs.readFileSync(path.join(DATA, f), 'utf8')) as { cases: Case[] };
    for (const c of doc.cases) out.push({ ...c, id: `${f.replace(/\.yaml$/, '')}/${c.id}` });
  }
  return out;
}

const CASES = loadCases();

function lockstep(args: string[], env: Record<string, string | null>, cwd: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const full: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...env })) if (typeof v === 'string') full[k] = v;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: full });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const text = (v: string) => (v.startsWith('base64:') ? Buffer.from(v.slice(7), 'base64') : v);

describe('the bad-input corpus', () => {
  let template: string;
  let upstream: string;
  let home: string;
  let draft: string;
  let draftHead: string;

  beforeAll(async () => {
    const up = createRepo();
    up.branch('testing-devel');
    const lock = (podman: string, kernel: string) => {
      const files: Record<string, string> = {};
      for (const arch of ['x86_64', 'aarch64']) {
        files[`manifest-lock.${arch}.json`] = lockfileJson({
          podman: { evra: `5:${podman}.${arch}`, sourcerpm: 'podman' },
          'podman-remote': { evra: `5:${podman}.${arch}`, sourcerpm: 'podman' },
          kernel: { evra: `${kernel}.${arch}`, sourcerpm: 'kernel' },
          lvm2: { evra: `2.03.23-1.fc40.${arch}`, sourcerpm: 'lvm2' },
          'device-mapper': { evra: `1.02.197-1.fc40.${arch}`, sourcerpm: 'lvm2' },
          constructor: { evra: `1.0-1.fc40.${arch}`, sourcerpm: 'constructor' },
          'fedora-repos': { evra: '40-2.noarch', sourcerpm: 'fedora-repos' },
          // A `__proto__` key cannot go through an object literal: it is written into the text.
        }).replace('"packages": {', `"packages": {\n    "__proto__": {"evra": "1.0-1.fc40.${arch}", "metadata": {"sourcerpm": "__proto__"}},`);
      }
      return files;
    };
    up.commit('lockfiles: import', { ...lock('5.2.3-1.fc40', '6.10.1-200.fc40'), 'manifest-lock.overrides.yaml': overridesYaml({ kernel: { evr: '6.10.1-200.fc40', type: 'pin', reason: REASON } }) });
    up.branch('stable');
    up.checkout('testing-devel');
    up.commit('lockfiles: bump', lock('5.2.4-1.fc40', '6.10.2-200.fc40'));
    up.git('config', 'uploadpack.allowFilter', 'true');
    upstream = up.dir;
    template = up.dir;
    home = makeTempDir('lockstep-corpus-home-');
    const pin = await lockstep(['pin', 'podman', '5:5.2.4-1.fc40', '--stream', 'stable', '--type', 'pin', '--reason', REASON, '--repo', template], { ...ID, HOME: home }, template);
    if (pin.status !== 0) throw new Error(`template draft: ${pin.stderr}`);
    draft = pin.stdout.trim();
    draftHead = execFileSync('git', ['-C', template, 'rev-parse', `refs/heads/${draft}`]).toString().trim();
  }, 120_000);
  afterAll(() => cleanupTempDirs());

  it('holds at least 150 cases, each with a unique id', () => {
    if (CASES.length < 150) throw new Error(`only ${CASES.length} cases`);
    const ids = new Set(CASES.map((c) => c.id));
    if (ids.size !== CASES.length) throw new Error('duplicate case ids');
  });

  /** A fresh copy of the template with the case's files committed; or the case's layout. */
  async function prepare(c: Case): Promise<{ dir: string; plain: boolean }> {
    const root = makeTempDir('lockstep-corpus-');
    const dir = path.join(root, 'repo');
    const git = (...args: string[]) => gitAsync('git', args, { cwd: dir, env: { ...process.env, ...ID, HOME: home, GIT_CONFIG_NOSYSTEM: '1' } });
    switch (c.layout) {
      case 'not-a-repo':
        fs.mkdirSync(dir);
        fs.writeFileSync(path.join(dir, 'README'), 'x\n');
        return { dir, plain: false };
      case 'missing':
        return { dir, plain: false };
      case 'shallow':
        await gitAsync('git', ['clone', '-q', '--depth', '1', '--no-single-branch', `file://${upstream}`, dir]);
        return { dir, plain: false };
      case 'partial':
        await gitAsync('git', ['clone', '-q', '--filter=blob:none', '--no-checkout', `file://${upstream}`, dir]);
        return { dir, plain: false };
      case 'alternates':
        await gitAsync('git', ['clone', '-q', '--shared', upstream, dir]);
        return { dir, plain: false };
      case 'dotgit-nowhere':
        fs.mkdirSync(dir);
        fs.writeFileSync(path.join(dir, '.git'), `gitdir: ${path.join(root, 'gone')}\n`);
        return { dir, plain: false };
      case 'worktree': {
        const main = path.join(root, 'main');
        fs.cpSync(template, main, { recursive: true });
        await gitAsync('git', ['-C', main, 'worktree', 'add', '-q', '--detach', dir]);
        return { dir, plain: false };
      }
      case 'truncated-idx':
      case 'idx-mismatch':
      case 'pack-without-idx': {
        fs.cpSync(template, dir, { recursive: true });
        // Without -d for the stray pack: the loose objects stay, as after an interrupted fetch.
        await git('repack', '-a', '-q', ...(c.layout === 'pack-without-idx' ? [] : ['-d']));
        const packDir = path.join(dir, '.git', 'objects', 'pack');
        const idx = path.join(packDir, fs.readdirSync(packDir).find((f) => f.endsWith('.idx'))!);
        const bytes = fs.readFileSync(idx);
        fs.chmodSync(idx, 0o644);
        if (c.layout === 'truncated-idx') fs.writeFileSync(idx, bytes.subarray(0, bytes.length - 64));
        else if (c.layout === 'idx-mismatch') fs.writeFileSync(idx, Buffer.concat([bytes.subarray(0, bytes.length - 40), Buffer.alloc(20, 7), bytes.subarray(bytes.length - 20)]));
        else fs.rmSync(idx);
        return { dir, plain: false };
      }
    }
    fs.cpSync(template, dir, { recursive: true });
    for (const [k, v] of Object.entries(c.config ?? {})) await git('config', k, v);
    if (c.files) {
      await git('checkout', '-q', c.stream ?? 'testing-devel');
      for (const [name, content] of Object.entries(c.files)) {
        const p = path.join(dir, name);
        if (content === null) fs.rmSync(p, { force: true });
        else fs.writeFileSync(p, text(content));
      }
      await git('add', '-A');
      await git('commit', '-q', '--allow-empty', '-m', `corpus: ${c.id}`);
      await git('checkout', '-q', '--detach');
    }
    return { dir, plain: true };
  }

  it.skip.for(CASES.filter((c) => c.gap).map((c) => [`${c.id} (gap: ${c.gap})`, c] as const))('%s', () => undefined);

  it.concurrent.for(CASES.filter((c) => !c.gap).map((c) => [c.id, c] as const))('%s', async ([, c], { expect }) => {
    const { dir, plain } = await prepare(c);
    const args = (c.run ?? ['diff', 'stable', 'testing-devel', '--json']).map((a) => a.replace('{draft}', draft));
    const env = { ...ID, HOME: home, XDG_CONFIG_HOME: home, GIT_CONFIG_NOSYSTEM: '1', LOCKSTEP_DATA_DIR: path.join(home, 'data'), ...(c.env ?? {}) };
    const r = await lockstep(c.norepo ? args : [...args, '--repo', dir], env, REPO_ROOT);
    const why = `${c.id}: lockstep ${args.join(' ')} -> ${r.status}\n${r.stderr}`;
    expect(r.status, why).toBe(c.exit);
    // Never a stack trace or an internal error, whatever the status.
    expect(r.stderr, why).not.toMatch(/\n\s+at |node:internal|internal error|TypeError|ReferenceError|RangeError|\bundefined\b/);
    if (c.exit !== 0) {
      expect(r.stderr.endsWith('\n') && r.stderr.split('\n').length === 2, `${why}: not exactly one line`).toBe(true);
      expect(r.stderr, why).toMatch(/^lockstep: /);
      if (c.match) expect(r.stderr, why).toMatch(new RegExp(c.match, 'i'));
    }
    if (!plain) return;
    // The repository is sound and the draft that was there is untouched.
    await gitAsync('git', ['-C', dir, 'fsck', '--no-dangling', '--no-progress']);
    const head = (await gitAsync('git', ['-C', dir, 'rev-parse', `refs/heads/${draft}`])).stdout.trim();
    expect(head, why).toBe(draftHead);
    const record = JSON.parse(fs.readFileSync(path.join(dir, '.git', 'lockstep', 'drafts', `${encodeURIComponent(draft)}.json`), 'utf8')) as { head: string };
    expect(record.head, why).toBe(draftHead);
    const left: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(d, e.name));
        else if (/\.tmp-\d+-\d+$|\.pending$/.test(e.name)) left.push(e.name);
      }
    };
    walk(path.join(dir, '.git'));
    expect(left, why).toEqual([]);
  });
});
