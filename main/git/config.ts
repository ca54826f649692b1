/** A repo's git config: remotes and identity. The one place a remote's URL is read. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import git from 'isomorphic-git';
import { AppError } from '../../shared/errors';
import { atomicFs } from './atomic-fs';
import { gitCall } from './errors';

/** The URL of `remote`, or null when the clone has no such remote. */
export async function remoteUrl(gitdir: string, remote: string): Promise<string | null> {
  try {
    const url = (await git.getConfig({ fs, gitdir, path: `remote.${remote}.url` })) as string | undefined;
    return url ?? null;
  } catch {
    return null;
  }
}

/** The names of the clone's remotes. */
export async function remoteNames(gitdir: string): Promise<string[]> {
  return (await gitCall('list remotes', () => git.listRemotes({ fs, gitdir }))).map((r) => r.remote);
}

/** Every value of a multi-valued key (`remote.origin.fetch`). */
export async function configValues(gitdir: string, key: string): Promise<string[]> {
  return ((await gitCall(`read ${key}`, () => git.getConfigAll({ fs, gitdir, path: key }))) as unknown[]).map(String);
}

/** Writes one key of the repo's own config, atomically. */
export async function setConfig(gitdir: string, key: string, value: string | boolean): Promise<void> {
  await gitCall(`set ${key}`, () => git.setConfig({ fs: atomicFs, gitdir, path: key, value }));
}

/**
 * Writes one key of the user's global git config, as `git config --global` does (git locks
 * and renames the file: atomic). Without a git binary, git's XDG file (`~/.config/git/config`),
 * which git reads too, written atomically.
 */
export async function setGlobalConfig(key: string, value: string): Promise<void> {
  const failed = await new Promise<(Error & { code?: string | number | null }) | null>((resolve) =>
    execFile('git', ['config', '--global', key, value], { env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } }, (err) => resolve(err)),
  );
  if (!failed) return;
  if (failed.code !== 'ENOENT') throw new AppError('io', `could not write ${key} to git's global config: ${failed.message.trim()}`, { field: key });
  const dir = path.join(process.env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'), 'git');
  fs.mkdirSync(dir, { recursive: true });
  await gitCall(`set ${key}`, () => git.setConfig({ fs: atomicFs, gitdir: dir, path: key, value }));
}
