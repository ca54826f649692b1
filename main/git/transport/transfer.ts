/**
 * The transfer machinery clone and fetch share: URL checks, the auth hooks wired to a
 * CredentialProvider, cancel, and progress (the server's phases, then the local work on the pack).
 */
import type { GitAuth, GitProgressEvent } from 'isomorphic-git';
import { AppError } from '../../../shared/errors';
import type { CredentialProvider, Credentials } from './credentials';
import { syncTree, writeFileStaged } from '../atomic-fs';
import { storePack } from '../objects/index-pack';
import { ObjectStore } from '../objects/object-store';
import { newTransferState, stripUserInfo, type TransferState } from '../errors';
import { cancelledError, transferHttp, type PackReceiver, type TransferHttp, type TransferProgress } from './transfer-http';

export type { TransferProgress };
export interface TransferOptions {
  onProgress?: (p: TransferProgress) => void;
  /** Cancel. */
  signal?: AbortSignal;
  /** undefined = anonymous. */
  credentials?: CredentialProvider;
  /** Something the user should hear that does not fail the transfer (git's `warning:` lines). */
  onWarning?: (message: string) => void;
}

/** The first ask plus three retries: enough to fix a typo, not enough to lock an account. */
const MAX_AUTH_ATTEMPTS = 4;
const PROGRESS_INTERVAL_MS = 100;


// ---------------------------------------------------------------------------------------------
// URLs

/** Throws bad-input unless `url` is an http(s) URL; returns it parsed. */
export function checkHttpUrl(url: string): URL {
  const text = url.trim();
  const shown = stripUserInfo(text);
  const ssh = () =>
    new AppError('bad-input', `${shown}: cloning over SSH is not supported; use the repository's HTTPS URL instead (for GitHub: https://github.com/OWNER/REPO.git)`, { url: shown });
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();
  if (!scheme) {
    // scp-like syntax: `git@github.com:owner/repo.git`, `github.com:owner/repo`.
    if (/^[^\s/:@]+@[^\s/:]+:/.test(text) || /^[a-z0-9-]+(\.[a-z0-9-]+)+:(?!\d+(\/|$))/i.test(text)) throw ssh();
    throw new AppError('bad-input', `"${shown}" is not a URL; give the repository's https:// URL`, { url: shown });
  }
  if (scheme === 'ssh' || scheme === 'git+ssh' || scheme === 'ssh+git') throw ssh();
  if (scheme !== 'http' && scheme !== 'https') {
    throw new AppError('bad-input', `${shown}: ${scheme}:// URLs are not supported; use the repository's HTTPS URL`, { url: shown });
  }
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new AppError('bad-input', `"${shown}" is not a URL; give the repository's https:// URL`, { url: shown });
  }
  if (!u.hostname) throw new AppError('bad-input', `"${shown}" names no host; give the repository's https:// URL`, { url: shown });
  return u;
}

// ---------------------------------------------------------------------------------------------
// Credentials

/** Rejects with `cancelled` as soon as `signal` fires, whatever `p` is waiting for (a prompt). */
function abortable<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(cancelledError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/**
 * isomorphic-git's auth hooks wired to a CredentialProvider. One instance may span several
 * requests of one operation (a push lists the server's refs, then sends the pack): what the
 * server accepted once is reused, not asked again.
 */
export function authCallbacks(credentials: CredentialProvider | undefined, state?: TransferState) {
  let attempt = 0;
  let last: Credentials | null = null;
  let accepted: Credentials | null = null;
  const ask = async (url: string): Promise<GitAuth> => {
    if (accepted) return { username: accepted.username, password: accepted.password };
    if (!credentials || attempt >= MAX_AUTH_ATTEMPTS) return { cancel: true };
    const c = await abortable(credentials.get(url, attempt++), state?.signal);
    last = c;
    if (!c) return { cancel: true };
    state?.secrets.add(c.password);
    return { username: c.username, password: c.password };
  };
  // A store that cannot save must not fail a transfer that worked, nor hide why one failed.
  const quietly = async (p: Promise<void> | undefined) => {
    try {
      await p;
    } catch {
      /* ignored on purpose */
    }
  };
  return {
    onAuth: (url: string) => ask(url),
    onAuthSuccess: async (url: string) => {
      if (last && accepted !== last) {
        accepted = last;
        await quietly(credentials?.approve(url, last));
      }
    },
    onAuthFailure: async (url: string) => {
      accepted = null;
      if (last) {
        const refused = last;
        last = null;
        if (state) state.rejected = true;
        await quietly(credentials?.reject(url, refused));
      }
      return ask(url);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// HTTP

/** isomorphic-git's phases for its own work on the pack; it awaits these calls. */
const LOCAL_PHASES: Record<string, string> = { 'Receiving objects': 'Indexing objects', 'Resolving deltas': 'Resolving deltas' };

export interface Transfer {
  state: TransferState;
  http: TransferHttp;
  onProgress: (p: GitProgressEvent) => Promise<void>;
  onAuth: ReturnType<typeof authCallbacks>['onAuth'];
  onAuthSuccess: ReturnType<typeof authCallbacks>['onAuthSuccess'];
  onAuthFailure: ReturnType<typeof authCallbacks>['onAuthFailure'];
}

/**
 * One transfer's state, HTTP client and hooks. With `gitdir`, the pack it receives is indexed
 * by our own index-pack and stored there (isomorphic-git's JavaScript indexing was ~90% of a
 * clone's time); `staged`: gitdir is a folder made durable as a whole later (syncTree).
 */
export function startTransfer(action: string, url: string, opts: TransferOptions, gitdir?: string, staged = false): Transfer {
  const state = newTransferState(action, url, opts.signal);
  const password = safeUrl(url)?.password;
  if (password) state.secrets.add(decodeURIComponent(password));
  let packDone = false;
  let lastEmit = 0;
  const emit = (p: TransferProgress) => {
    try {
      opts.onProgress?.(p);
    } catch {
      // A failing progress listener must not fail the transfer (nor, from isomorphic-git's
      // unawaited progress loop, become an unhandled rejection).
    }
  };
  const receiver: PackReceiver | undefined = gitdir
    ? {
        progress: emit,
        async store(pack) {
          // A thin pack's bases are in the repo; opened only if one is needed.
          let store: ObjectStore | null = null;
          try {
            await storePack(gitdir, pack, {
              write: staged ? writeFileStaged : undefined,
              signal: opts.signal,
              onProgress: emit,
              external: (oid) => {
                store ??= ObjectStore.openSync(gitdir);
                return store.has(oid) ? store.read(oid) : null;
              },
            });
          } finally {
            (store as ObjectStore | null)?.close();
          }
        },
      }
    : undefined;
  const http = transferHttp(
    state,
    (loaded, total, done) => {
      const now = Date.now();
      if (done) packDone = true;
      if (!done && now - lastEmit < PROGRESS_INTERVAL_MS) return;
      lastEmit = now;
      emit({ phase: 'Downloading', loaded, total });
    },
    receiver,
  );
  return {
    state,
    http,
    ...authCallbacks(opts.credentials, state),
    async onProgress(p) {
      const local = LOCAL_PHASES[p.phase];
      // Indexing a big pack takes seconds of JS with no network read to interrupt: a cancel
      // is honoured by throwing from the progress hook, which isomorphic-git awaits there.
      // Only there: the server's phases arrive through a loop nobody awaits.
      if (local && packDone && opts.signal?.aborted) throw cancelledError();
      emit({ phase: local ?? p.phase, loaded: p.loaded, total: p.total ?? 0 });
    },
  };
}

function safeUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Clone
