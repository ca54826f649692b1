/** A repo's git config: remotes and identity. The one place a remote's URL is read. */
import fs from 'node:fs';
import git from 'isomorphic-git';
import { atomicFs } from './atomic-fs';
import { gitCall } from './git-errors';

/** The URL of `remote`, or null when the clone has no such remote. */
export async function remoteUrl(gitdir: string, remote: string): Promise<string | null> {
  try {
    const url = (await git.getConfig({ fs, gitdir, path: `remote.${remote}.url` })) as string | undefined;
    return url ?? null;
  } catch {
    return null;
  }
}

/** Every value of a multi-valued key (`remote.origin.fetch`). */
export async function configValues(gitdir: string, key: string): Promise<string[]> {
  return ((await gitCall(`read ${key}`, () => git.getConfigAll({ fs, gitdir, path: key }))) as unknown[]).map(String);
}

/** Writes one key of the repo's own config, atomically. */
export async function setConfig(gitdir: string, key: string, value: string | boolean): Promise<void> {
  await gitCall(`set ${key}`, () => git.setConfig({ fs: atomicFs, gitdir, path: key, value }));
}
