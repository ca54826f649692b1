/**
 * The set-up every push test starts from: a config repo served by a real git http-backend
 * (with basic auth when asked, the user's git credential store holding the token), a
 * maintainer's home of its own, and a clone of the served repo.
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { startGitServer, type GitServer } from './git-server';
import type { RepoBuilder } from './repo-builder';
import { makeTempDir } from './tmp';

const gitAsync = promisify(execFile);

export interface ServedRepo {
  server: GitServer;
  /** The served bare repo. */
  bare: string;
  home: string;
  clone: string;
  /** The environment of a Lockstep run by Ada, in her home. */
  env: (extra?: Record<string, string>) => Record<string, string>;
  /** A git command on the served repo. */
  serverGit: (...args: string[]) => string;
  /** Where a branch of the served repo is; null when it has none. */
  serverRef: (branch: string) => string | null;
  stop: () => Promise<void>;
}

export interface ServeOptions {
  auth?: { username: string; password: string };
  /** The served repo's path under the server's root. */
  name?: string;
}

/** Serves `upstream` and clones it with git itself (a user's own clone). */
export async function serveAndClone(upstream: RepoBuilder, opts: ServeOptions = {}): Promise<ServedRepo> {
  const name = opts.name ?? 'config.git';
  const root = makeTempDir();
  const bare = path.join(root, name);
  upstream.bareClone(bare);
  const server = await startGitServer({ root, auth: opts.auth });
  const home = makeTempDir();
  if (opts.auth) {
    // The user's git credential helper holds the token.
    fs.writeFileSync(path.join(home, '.gitconfig'), '[credential]\n\thelper = store\n');
    fs.writeFileSync(path.join(home, '.git-credentials'), `http://${opts.auth.username}:${opts.auth.password}@127.0.0.1:${new URL(server.url).port}\n`);
  }
  const clone = path.join(makeTempDir(), 'clone');
  await gitAsync('git', ['clone', '-q', server.repoUrl(name), clone], { env: { ...process.env, HOME: home, GIT_CONFIG_NOSYSTEM: '1' } });
  const serverGit = (...args: string[]) => execFileSync('git', ['--git-dir', bare, ...args]).toString().trim();
  return {
    server,
    bare,
    home,
    clone,
    env: (extra = {}) => ({
      GIT_AUTHOR_NAME: 'Ada',
      GIT_AUTHOR_EMAIL: 'ada@example.org',
      HOME: home,
      XDG_CONFIG_HOME: home,
      GIT_CONFIG_NOSYSTEM: '1',
      LOCKSTEP_DATA_DIR: path.join(home, 'data'),
      ...extra,
    }),
    serverGit,
    serverRef: (branch) => {
      try {
        return serverGit('rev-parse', '--verify', '-q', `refs/heads/${branch}`);
      } catch {
        return null;
      }
    },
    stop: () => server.stop(),
  };
}
