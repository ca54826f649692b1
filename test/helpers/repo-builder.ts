/**
 * Synthetic config repos built in code over the git CLI: branches, files, commits and merges,
 * with fixed identities and dates so ids are the same on every run.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { OVERRIDES_HEADER } from '../../shared/lockfile/overrides-edit';
import { makeTempDir } from './tmp';

export interface RepoBuilder {
  dir: string;
  gitdir: string;
  /** Creates and checks out a branch from `from` (default HEAD); orphan in an empty repo. */
  branch(name: string, from?: string): RepoBuilder;
  checkout(name: string): RepoBuilder;
  /** Writes (or removes, with null) files and commits them all; returns the commit id. */
  commit(message: string, files: Record<string, string | Uint8Array | null>, opts?: { author?: { name: string; email: string } }): string;
  /** Stages a gitlink (a submodule at `commit`, not checked out): the next commit records it. */
  gitlink(path: string, commit: string): RepoBuilder;
  /** A real merge commit of `from` into the current branch. */
  merge(from: string, message: string): string;
  git(...args: string[]): string;
  bareClone(dest: string): string;
  rev(ref: string): string;
}

const START = Date.UTC(2024, 0, 1, 12, 0, 0) / 1000;

export function createRepo(dir: string = path.join(makeTempDir(), 'repo')): RepoBuilder {
  fs.mkdirSync(dir, { recursive: true });
  let tick = 0;
  const home = makeTempDir('lockstep-home-');
  const env = (author?: { name: string; email: string }) => {
    const date = `${START + tick * 3600} +0000`;
    return {
      ...process.env,
      HOME: home,
      XDG_CONFIG_HOME: home,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: author?.name ?? 'Test Maintainer',
      GIT_AUTHOR_EMAIL: author?.email ?? 'maintainer@example.org',
      GIT_COMMITTER_NAME: 'Test Maintainer',
      GIT_COMMITTER_EMAIL: 'maintainer@example.org',
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
    };
  };
  const run = (args: string[], author?: { name: string; email: string }) =>
    execFileSync('git', ['-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], {
      cwd: dir,
      env: env(author),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
      .toString()
      .trim();
  run(['init', '-q']);
  let empty = true;

  const builder: RepoBuilder = {
    dir,
    gitdir: path.join(dir, '.git'),
    branch(name, from) {
      if (empty) run(['checkout', '-q', '--orphan', name]);
      else run(['checkout', '-q', '-b', name, ...(from ? [from] : [])]);
      return builder;
    },
    checkout(name) {
      run(['checkout', '-q', name]);
      return builder;
    },
    commit(message, files, opts) {
      for (const [name, content] of Object.entries(files)) {
        const p = path.join(dir, name);
        if (content === null) fs.rmSync(p, { force: true });
        else {
          fs.mkdirSync(path.dirname(p), { recursive: true });
          fs.writeFileSync(p, content);
        }
      }
      run(['add', '-A']);
      tick++;
      run(['commit', '-q', '--allow-empty', '-m', message], opts?.author);
      empty = false;
      return run(['rev-parse', 'HEAD']);
    },
    gitlink(p, commit) {
      // An empty folder is how git sees a submodule that is not checked out: `add -A` keeps the link.
      fs.mkdirSync(path.join(dir, p), { recursive: true });
      run(['update-index', '--add', '--cacheinfo', `160000,${commit},${p}`]);
      return builder;
    },
    merge(from, message) {
      tick++;
      run(['merge', '-q', '--no-ff', '-m', message, from]);
      return run(['rev-parse', 'HEAD']);
    },
    git: (...args) => run(args),
    bareClone(dest) {
      run(['clone', '-q', '--bare', dir, dest]);
      return dest;
    },
    rev: (ref) => run(['rev-parse', ref]),
  };
  return builder;
}

export type LockPackage = string | { evra: string; sourcerpm?: string };

/** A lockfile's text in one of the shapes the reference repo has had. */
export function lockfileJson(
  packages: Record<string, LockPackage>,
  opts: { shape?: 'current' | 'metadata' | 'evra-only' | 'evra-digest' } = {},
): string {
  const shape = opts.shape ?? 'current';
  const entries: Record<string, object> = {};
  for (const name of Object.keys(packages).sort()) {
    const p = packages[name];
    const evra = typeof p === 'string' ? p : p.evra;
    const src = typeof p === 'string' ? name : (p.sourcerpm ?? name);
    if (shape === 'current') entries[name] = { evra, metadata: { sourcerpm: src } };
    else if (shape === 'evra-digest') entries[name] = { evra, digest: `sha256:${'0'.repeat(64)}` };
    else entries[name] = { evra };
  }
  const doc: Record<string, unknown> = { packages: entries };
  if (shape === 'current' || shape === 'metadata') {
    doc.metadata = { generated: '2024-10-23T00:00:00Z', rpmmd_repos: { fedora: { generated: '2024-04-14T18:51:09Z' } } };
  }
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** The repo's header comment, as Lockstep writes it for new override files. */
export const REPO_HEADER = OVERRIDES_HEADER;

export interface OverrideSpec {
  evr?: string;
  evra?: string;
  type?: 'pin' | 'fast-track';
  reason?: string;
  bodhi?: string;
}

/** An override file written the way the reference repo writes it. */
export function overridesYaml(entries: Record<string, OverrideSpec>, opts: { header?: boolean } = {}): string {
  const head = opts.header === false ? '' : `${REPO_HEADER}\n`;
  const names = Object.keys(entries).sort();
  if (names.length === 0) return `${head}packages: {}\n`;
  const lines = ['packages:'];
  for (const name of names) {
    const e = entries[name];
    lines.push(`  ${name}:`);
    if (e.evr) lines.push(`    evr: ${e.evr}`);
    if (e.evra) lines.push(`    evra: ${e.evra}`);
    if (e.bodhi || e.reason || e.type) {
      lines.push('    metadata:');
      if (e.bodhi) lines.push(`      bodhi: ${e.bodhi}`);
      if (e.reason) lines.push(`      reason: ${e.reason}`);
      if (e.type) lines.push(`      type: ${e.type}`);
    }
  }
  return `${head}${lines.join('\n')}\n`;
}
