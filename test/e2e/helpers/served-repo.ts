/**
 * The set-up most draft specs share: an upstream repo built in code, served bare by a real
 * `git http-backend` on 127.0.0.1, cloned by the `lockstep` CLI with a maintainer identity in
 * its environment; and the git reads a spec checks the server and the clone with.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { startGitServer, type GitServer, type GitServerOptions } from '../../helpers/git-server';
import type { RepoBuilder } from '../../helpers/repo-builder';
import { lockstepCli, tempDir } from './app';

/** The identity the CLI commits with (the app's own comes from `startApp`). */
export const IDENTITY_ENV = { GIT_AUTHOR_NAME: 'E2E Maintainer', GIT_AUTHOR_EMAIL: 'e2e@example.org', GIT_CONFIG_NOSYSTEM: '1' };

export interface ServedRepo {
  server: GitServer;
  /** Folder of the bare repos the server serves. */
  root: string;
  /** The served bare repo. */
  served: string;
  /** Its URL on the server. */
  url: string;
  /** The CLI's clone (a bare git dir). */
  clone: string;
  /** `git --git-dir <served> …`, trimmed stdout. */
  serverGit(...args: string[]): string;
  /** `git --git-dir <clone> …`, trimmed stdout. */
  cloneGit(...args: string[]): string;
  /** Pushes the upstream's branch to the server (someone else's push). */
  pushUpstream(branch: string): void;
  /** Runs the CLI as the maintainer; throws with its stderr when it fails. */
  cli(args: string[]): Promise<string>;
  stop(): Promise<void>;
}

/** Serves `upstream` as `name` (an `owner/repo.git` path when a forge reads owner and name from the URL) and clones it. */
export async function serveAndClone(upstream: RepoBuilder, opts: { name?: string } & Omit<GitServerOptions, 'root'> = {}): Promise<ServedRepo> {
  const { name = 'config.git', ...serverOpts } = opts;
  const root = tempDir('lockstep-e2e-srv-');
  const served = path.join(root, name);
  upstream.bareClone(served);
  const server = await startGitServer({ root, ...serverOpts });
  const url = server.repoUrl(name);
  const clone = path.join(tempDir('lockstep-e2e-clone-'), 'config.git');
  const git = (dir: string, args: string[]) => execFileSync('git', ['--git-dir', dir, ...args]).toString().trim();
  const cli = async (args: string[]) => {
    const r = await lockstepCli(args, IDENTITY_ENV);
    if (r.status !== 0) throw new Error(`lockstep ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return r.stdout;
  };
  try {
    await cli(['clone', url, clone]);
  } catch (e) {
    await server.stop();
    throw e;
  }
  return {
    server,
    root,
    served,
    url,
    clone,
    serverGit: (...args) => git(served, args),
    cloneGit: (...args) => git(clone, args),
    pushUpstream: (branch) => void execFileSync('git', ['-C', upstream.dir, 'push', '-q', served, branch]),
    cli,
    stop: () => server.stop(),
  };
}
