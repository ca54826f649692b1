/** Fetch every branch of the upstream remote, pruning deleted ones; reports which moved. */
import fs from 'node:fs';
import git from 'isomorphic-git';
import { AppError } from '../../shared/errors';
import { atomicFs } from './atomic-fs';
import { authCallbacks, type TransferOptions } from './clone';
import { cancellableHttp } from './http';
import { stripUserInfo, transportError } from './transport-errors';

export interface FetchedRef {
  name: string;
  from: string | null;
  to: string;
}

async function remoteHeads(gitdir: string, remote: string): Promise<Map<string, string>> {
  const m = new Map<string, string>();
  let names: string[] = [];
  try {
    names = await git.listBranches({ fs, gitdir, remote });
  } catch {
    names = [];
  }
  for (const name of names) {
    if (name === 'HEAD') continue;
    try {
      m.set(name, await git.resolveRef({ fs, gitdir, ref: `refs/remotes/${remote}/${name}` }));
    } catch {
      // A dangling ref counts as absent.
    }
  }
  return m;
}

export async function fetchAll(gitdir: string, opts: TransferOptions & { remote?: string } = {}): Promise<FetchedRef[]> {
  const remote = opts.remote ?? 'origin';
  const url = (await git.getConfig({ fs, gitdir, path: `remote.${remote}.url` })) as string | undefined;
  if (!url) throw new AppError('bad-input', `the repo has no remote "${remote}" to fetch from`, { ref: remote });
  if (!/^https?:\/\//.test(url)) {
    throw new AppError('bad-input', `remote ${remote} is ${stripUserInfo(url)}: only http(s) remotes can be fetched here; fetch with git, or set an HTTPS URL`, { url });
  }
  const before = await remoteHeads(gitdir, remote);
  try {
    await git.fetch({
      fs: atomicFs,
      http: cancellableHttp(opts.signal),
      gitdir,
      remote,
      prune: true,
      tags: true,
      singleBranch: false,
      onProgress: (p) => opts.onProgress?.({ phase: p.phase, loaded: p.loaded, total: p.total ?? 0 }),
      ...authCallbacks(opts.credentials),
    });
  } catch (err) {
    if (opts.signal?.aborted) throw new AppError('cancelled', `fetch from ${stripUserInfo(url)} cancelled`);
    throw transportError(err, url, 'fetch from');
  }
  const after = await remoteHeads(gitdir, remote);
  const moved: FetchedRef[] = [];
  for (const [name, to] of after) if (before.get(name) !== to) moved.push({ name, from: before.get(name) ?? null, to });
  return moved;
}
