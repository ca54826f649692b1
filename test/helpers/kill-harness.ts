/**
 * What the kill tests share: the fault hook's path, the environment of a deterministic run, the
 * files an interrupted write leaves, and the check that the hook saw every write (a snapshot of
 * the folder before and after the counting run, against its trace).
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { REPO_ROOT, runCliAsync, type CliResult } from './cli';
import { startGitServer, type GitServer } from './git-server';
import { meaningfulKillPoints } from './kill-points';
import { createRepo, lockfileJson, overridesYaml, type RepoBuilder } from './repo-builder';
import { makeTempDir } from './tmp';

export const gitAsync = promisify(execFile);
export const FAULT_FS = path.join(REPO_ROOT, 'test/helpers/fault-fs.cjs');

export const lockstep = (args: string[], env: Record<string, string>): Promise<CliResult> => runCliAsync(args, { env });

// Fixed commit dates (honored as git does): a draft's commit id is then the same in the run that
// counts the writes and in every killed run. With the clock's, the commit's fan-out folder
// (objects/xx/) sometimes already exists, and a run makes three writes fewer than counted.
export const DATES = { GIT_AUTHOR_DATE: '1729166400 +0000', GIT_COMMITTER_DATE: '1729166400 +0000' };
export const baseEnv = (home: string): Record<string, string> => ({ ...DATES, GIT_AUTHOR_NAME: 'Ada', GIT_AUTHOR_EMAIL: 'ada@example.org', HOME: home, XDG_CONFIG_HOME: home, GIT_CONFIG_NOSYSTEM: '1', LOCKSTEP_DATA_DIR: path.join(home, 'data') });
const DATA = 'test-data';
/**
 * A data folder inside the repo folder, so that a kill test counts and kills its writes (the
 * build services' answer cache) too. Its temps are not swept by the next command that only reads
 * but by the next one that writes there: check `leftovers(dataDirIn(dir))` after one.
 */
export const dataDirIn = (gitdir: string): string => path.join(gitdir, DATA);
/** The environment of a run under the fault hook, writes under `dir` counted. */
export const faultEnv = (home: string, dir: string, extra: Record<string, string>): Record<string, string> => ({ ...baseEnv(home), NODE_OPTIONS: `--require ${FAULT_FS}`, LOCKSTEP_FAULT_DIR: dir, ...extra });

/** Files our writes leave only when interrupted: atomic-write temps and pending records. */
export function leftovers(gitdir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      // The data folder a test put inside the repo: its temps go at its next write (see dataIn).
      if (e.isDirectory() && d === gitdir && e.name === DATA) continue;
      if (e.isDirectory()) walk(p);
      else if (/\.tmp-\d+-\d+$|\.pending$/.test(e.name)) out.push(path.relative(gitdir, p));
    }
  };
  walk(gitdir);
  return out;
}

export type Snapshot = Map<string, string>;
/** Every file and folder under `dir`: a file by size, mtime and inode, a folder by its being there. */
export function snapshot(dir: string): Snapshot {
  const out: Snapshot = new Map();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      const rel = `/${path.relative(dir, p)}`;
      if (e.isDirectory()) {
        out.set(rel, 'dir');
        walk(p);
      } else {
        const st = fs.lstatSync(p);
        out.set(rel, `${st.size} ${st.mtimeMs} ${st.ino}`);
      }
    }
  };
  walk(dir);
  return out;
}

/**
 * What changed on disk between two snapshots that the fault hook's trace never named (a path,
 * or a folder above it that was renamed or removed whole): a write that escaped the kill points.
 */
export function unseenWrites(before: Snapshot, after: Snapshot, trace: string): string[] {
  const seen = new Set<string>();
  // Folders moved or removed whole: what was under them changed with them. Only these cover what
  // is below them (a mkdir of objects/pack names the folder, not the packs written into it).
  const whole = new Set<string>();
  for (const line of trace.split('\n')) {
    const m = /^\d+ \w+ (\S+) (\S+)(?: -> (\S+))?$/.exec(line);
    if (!m) continue;
    for (const p of [m[2], m[3]]) if (p) seen.add(p);
    if (/^(rename|rm|rmdir)(Sync)?$/.test(m[1])) for (const p of [m[2], m[3]]) if (p) whole.add(p);
  }
  const covered = (p: string, isDir: boolean) => {
    if (seen.has(p)) return true;
    for (let q = path.posix.dirname(p); q && q !== '/'; q = path.posix.dirname(q)) if (whole.has(q)) return true;
    // A folder made on the way by a recursive mkdir (or removed by rm -r) is named by what is under it.
    return isDir && [...seen].some((q) => q.startsWith(`${p}/`));
  };
  const changed = [...new Set([...before.keys(), ...after.keys()])].filter((p) => {
    const a = before.get(p);
    const b = after.get(p);
    if (a === b) return false;
    return !(a === 'dir' && b === 'dir');
  });
  return changed.filter((p) => !covered(p, before.get(p) === 'dir' || after.get(p) === 'dir')).sort();
}


export interface ListedDraft {
  branch: string;
  head: string;
  base: string;
  state: string;
}

export interface KillRun {
  /** HOME and the data folder of every run. */
  home: string;
  /** The repo each run starts from (copied per run, never written). */
  source: string;
  /** The lockstep command, without `--repo`. */
  args?: string[];
  /** Another command than `lockstep ARGS --repo DIR` (a driver of a service call), run with `env`. */
  run?: (gitdir: string, env: Record<string, string>) => Promise<CliResult>;
  /** Sets up each copy before its run (before the counting run's snapshot too): a remote of its own... */
  prepare?: (gitdir: string) => void;
  /** More environment for the command (service URLs...), given the repo it runs on. */
  env?: (gitdir: string) => Record<string, string>;
  /** The kill points of the counting run's trace (default: cut by meaning, `meaningfulKillPoints`). */
  points?: (trace: string) => number[];
  /** The writes the command must make, each a pattern over its trace. */
  expects?: RegExp[];
  /** Checks one killed repo after the next command listed its drafts. */
  check: (gitdir: string, drafts: ListedDraft[], k: number) => void | Promise<void>;
}

/**
 * Runs `args` once counting its writes (every write seen, the expected ones made), then once per
 * kill point on a fresh copy, SIGKILLed there; then the next command (`drafts`) repairs and lists
 * whole drafts, `git fsck` is clean, no temp or pending file is left, and `check` holds. Two
 * kills at a time: the machine has two cores. Answers how many points the trace has.
 */
export async function killEverywhere(o: KillRun): Promise<number> {
  const run = o.run ?? ((dir: string, env: Record<string, string>) => lockstep([...(o.args ?? []), '--repo', dir], env));
  const work = makeTempDir();
  const traced = path.join(work, 'traced.git');
  fs.cpSync(o.source, traced, { recursive: true });
  o.prepare?.(traced);
  const trace = path.join(work, 'trace.txt');
  const before = snapshot(traced);
  const full = await run(traced, faultEnv(o.home, traced, { ...o.env?.(traced), LOCKSTEP_FAULT_TRACE: trace }));
  expect(full.status, full.stderr).toBe(0);
  const text = fs.readFileSync(trace, 'utf8');
  expect(unseenWrites(before, snapshot(traced), text), 'writes the fault hook did not see').toEqual([]);
  for (const op of o.expects ?? []) expect(text, 'a write the command must make').toMatch(op);
  const points = text.trim().split('\n').length;
  expect(points).toBeGreaterThan(4);
  const one = async (k: number) => {
    const dir = path.join(work, `k${k}.git`);
    fs.cpSync(o.source, dir, { recursive: true });
    o.prepare?.(dir);
    const killed = await run(dir, faultEnv(o.home, dir, { ...o.env?.(dir), LOCKSTEP_FAULT_AT: String(k) }));
    expect(killed.signal, `point ${k} of ${points}: exited ${killed.status} instead: ${killed.stderr.trim()}`).toBe('SIGKILL');
    // The next command repairs what the kill left, and lists drafts that are whole.
    const listed = await lockstep(['drafts', '--json', '--repo', dir], { ...baseEnv(o.home), ...o.env?.(dir) });
    expect(listed.status, `point ${k}: ${listed.stderr}`).toBe(0);
    const drafts = JSON.parse(listed.stdout) as ListedDraft[];
    for (const d of drafts) expect(execFileSync('git', ['--git-dir', dir, 'rev-parse', `refs/heads/${d.branch}`]).toString().trim(), `point ${k}`).toBe(d.head);
    await gitAsync('git', ['--git-dir', dir, 'fsck', '--strict', '--no-dangling', '--no-progress']);
    expect(leftovers(dir), `point ${k}`).toEqual([]);
    await o.check(dir, drafts, k);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  await twoAtATime((o.points ?? meaningfulKillPoints)(text), one);
  return points;
}

/** Runs `one` for every kill point, two at a time: the machine has two cores. */
export async function twoAtATime(points: readonly number[], one: (k: number) => Promise<void>): Promise<void> {
  for (let i = 0; i < points.length; i += 2) await Promise.all(points.slice(i, i + 2).map(one));
}

/** What a killed or starved fetch, clone and push start from (`servedThenMoved`). */
export interface MovedUpstream {
  up: RepoBuilder;
  /** The server's root: the served repo is `config.git` in it. */
  root: string;
  server: GitServer;
  home: string;
  /** Lockstep's clone, made before the move. */
  clone: string;
  /** testing-devel before and after the move. */
  oldHead: string;
  newHead: string;
}

/**
 * A config repo (kernel locked on testing-devel and stable) served by a real git http-backend,
 * cloned by Lockstep; then testing-devel moved on the server, so a fetch has a pack to bring.
 */
export async function servedThenMoved(): Promise<MovedUpstream> {
  const up = createRepo();
  up.branch('testing-devel');
  up.commit('lockfiles: import', { 'manifest-lock.x86_64.json': lockfileJson({ kernel: { evra: '6.10.1-200.fc40.x86_64', sourcerpm: 'kernel' } }), 'manifest-lock.overrides.yaml': overridesYaml({}) });
  up.branch('stable', 'testing-devel');
  const root = makeTempDir();
  up.bareClone(path.join(root, 'config.git'));
  const server = await startGitServer({ root });
  const home = makeTempDir();
  const clone = path.join(makeTempDir(), 'clone.git');
  expect((await lockstep(['clone', server.repoUrl('config.git'), clone], baseEnv(home))).status).toBe(0);
  const oldHead = up.rev('testing-devel');
  up.checkout('testing-devel');
  up.commit('moves', { 'manifest-lock.x86_64.json': lockfileJson({ kernel: { evra: '6.11.0-200.fc40.x86_64', sourcerpm: 'kernel' } }) });
  execFileSync('git', ['-C', up.dir, 'push', '-q', path.join(root, 'config.git'), 'testing-devel']);
  return { up, root, server, home, clone, oldHead, newHead: up.rev('testing-devel') };
}
