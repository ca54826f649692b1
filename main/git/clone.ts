/**
 * Clone over smart HTTP with isomorphic-git: every branch as `refs/remotes/origin/*`, into a
 * bare repo (drafts never need a work tree). Cancel and failures remove what was written, so a
 * half-cloned folder is never left looking like a repo.
 */
import fs from 'node:fs';
import git from 'isomorphic-git';
import { AppError } from '../../shared/errors';
import type { CredentialProvider, Credentials } from '../services/credentials';
import { atomicFs } from './atomic-fs';
import { cancellableHttp } from './http';
import { stripUserInfo, transportError } from './transport-errors';

export interface TransferProgress {
  phase: string;
  loaded: number;
  total: number;
}

export interface TransferOptions {
  onProgress?: (p: TransferProgress) => void;
  signal?: AbortSignal;
  credentials?: CredentialProvider;
}

/** isomorphic-git's auth callbacks wired to a CredentialProvider. */
export function authCallbacks(credentials: CredentialProvider | undefined) {
  let attempt = 0;
  let last: Credentials | null = null;
  // Credentials the server accepted are reused by later requests of the same operation
  // (a push first lists the server's refs, then sends the pack).
  let accepted: Credentials | null = null;
  const ask = async (url: string) => {
    if (accepted) return { username: accepted.username, password: accepted.password };
    const c = credentials ? await credentials.get(stripUserInfo(url), attempt++) : null;
    last = c;
    return c ? { username: c.username, password: c.password } : { cancel: true };
  };
  return {
    onAuth: (url: string) => ask(url),
    onAuthSuccess: async (url: string) => {
      if (last && !accepted) {
        accepted = last;
        await credentials?.approve(stripUserInfo(url), last);
      }
    },
    onAuthFailure: async (url: string) => {
      accepted = null;
      if (last) await credentials?.reject(stripUserInfo(url), last);
      return attempt < 4 ? ask(url) : { cancel: true };
    },
  };
}

export function checkHttpUrl(url: string): void {
  if (/^(ssh:\/\/|git@|[^/]+@[^/]+:)/.test(url)) {
    throw new AppError('bad-input', `${url}: SSH URLs cannot be cloned here; use the repository's HTTPS URL`, { url });
  }
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new AppError('bad-input', `"${url}" is not a URL; give the repository's https:// URL`, { url });
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    throw new AppError('bad-input', `${stripUserInfo(url)}: only http(s) URLs can be cloned`, { url: stripUserInfo(url) });
  }
}

/** Clones all branches of `url` into `dir` as a bare repo. */
export async function cloneRepo(url: string, dir: string, opts: TransferOptions = {}): Promise<void> {
  checkHttpUrl(url);
  const existed = fs.existsSync(dir);
  if (existed && fs.readdirSync(dir).length > 0) {
    throw new AppError('bad-input', `${dir} already exists and is not empty; pick another folder`, { file: dir });
  }
  fs.mkdirSync(dir, { recursive: true });
  try {
    await git.clone({
      fs: atomicFs,
      http: cancellableHttp(opts.signal),
      dir,
      gitdir: dir,
      url,
      noCheckout: true,
      noTags: false,
      onProgress: (p) => opts.onProgress?.({ phase: p.phase, loaded: p.loaded, total: p.total ?? 0 }),
      ...authCallbacks(opts.credentials),
    });
    // A cancel that came after the last network read still wins: nothing is kept.
    if (opts.signal?.aborted) throw new AppError('cancelled', 'cancelled');
    await git.setConfig({ fs: atomicFs, gitdir: dir, path: 'core.bare', value: true });
  } catch (err) {
    // Nothing half-written may look like a repo afterwards.
    if (existed) for (const e of fs.readdirSync(dir)) fs.rmSync(`${dir}/${e}`, { recursive: true, force: true });
    else fs.rmSync(dir, { recursive: true, force: true });
    if (opts.signal?.aborted) throw new AppError('cancelled', `clone of ${stripUserInfo(url)} cancelled`, { url: stripUserInfo(url) });
    const code = (err as { code?: string }).code;
    if (code === 'UserCanceledError') {
      throw new AppError('auth', `clone of ${stripUserInfo(url)}: the server wants credentials and none were given`, { url: stripUserInfo(url) });
    }
    throw transportError(err, url, 'clone of');
  }
}
