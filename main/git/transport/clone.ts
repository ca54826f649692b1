/**
 * Clone over smart HTTP with isomorphic-git, and the transfer machinery fetch shares: an HTTP
 * client that really aborts on cancel and tells a broken connection apart from bad data, the
 * auth hooks wired to a CredentialProvider, and progress.
 *
 * A clone is written into a hidden sibling folder and renamed into place only when complete,
 * so a failure, a cancel or even a kill never leaves a half-written repo under `dir`.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import git, { type GitAuth, type GitHttpRequest, type GitHttpResponse, type GitProgressEvent, type HttpClient } from 'isomorphic-git';
import { AppError } from '../../../shared/errors';
import type { CredentialProvider, Credentials } from './credentials';
import { atomicFs, fsyncDir, stagedFs, syncTree, writeFileStaged } from '../atomic-fs';
import { storePack } from '../objects/index-pack';
import { ObjectStore } from '../objects/object-store';
import { isAbortError, newTransferState, stripUserInfo, toTransferError, type TransferState } from './http-errors';
import { refFileTexts, verifyRefTargets } from './ref-targets';

/**
 * One progress step. Phases, in order: the server's own ('Enumerating objects', 'Counting
 * objects', 'Compressing objects': loaded/total are objects), 'Downloading' (loaded is bytes;
 * total is bytes when the server said, else 0), then the local work on the pack ('Indexing
 * objects', 'Resolving deltas': objects). total 0 means unknown.
 */
export interface TransferProgress {
  phase: string;
  loaded: number;
  total: number;
}

export interface TransferOptions {
  onProgress?: (p: TransferProgress) => void;
  /** Cancel. */
  signal?: AbortSignal;
  /** undefined = anonymous. */
  credentials?: CredentialProvider;
  /** Something the user should hear that does not fail the transfer (git's `warning:` lines). */
  onWarning?: (message: string) => void;
}

/**
 * A server that sends nothing for this long is treated as gone (git's keep-alives come every
 * 5 s). LOCKSTEP_NET_IDLE_TIMEOUT_MS changes it: longer behind a proxy that buffers whole
 * answers, shorter in tests of a server that hangs.
 */
function idleTimeoutMs(): number {
  const v = Number(process.env.LOCKSTEP_NET_IDLE_TIMEOUT_MS);
  return Number.isFinite(v) && v > 0 ? v : 120_000;
}
const MAX_REDIRECTS = 10;
/** The first ask plus three retries: enough to fix a typo, not enough to lock an account. */
const MAX_AUTH_ATTEMPTS = 4;
const PROGRESS_INTERVAL_MS = 100;

const cancelledError = () => new AppError('cancelled', 'cancelled');

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

async function collectBody(body: GitHttpRequest['body'] | Uint8Array[]): Promise<Buffer> {
  if (Array.isArray(body)) return Buffer.concat(body.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength)));
  const parts: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array>) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

function flattenHeaders(h: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function withoutHeader(headers: Record<string, string>, name: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() !== name) out[k] = v;
  return out;
}

const timeoutError = () => Object.assign(new Error('the server stopped responding'), { code: 'ETIMEDOUT' });
const prematureError = () => Object.assign(new Error('the connection closed before the answer was complete'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });

/** Stores the pack of an upload-pack answer; `progress` reports the server's own phases. */
export interface PackReceiver {
  store(pack: Buffer): Promise<void>;
  progress(p: TransferProgress): void;
}

const pkt = (s: string | Buffer) => {
  const body = typeof s === 'string' ? Buffer.from(s) : s;
  return Buffer.concat([Buffer.from((body.length + 4).toString(16).padStart(4, '0')), body]);
};
/** A pack with no objects: isomorphic-git writes and indexes nothing for it. */
const EMPTY_PACK = (() => {
  const head = Buffer.from('5041434b0000000200000000', 'hex');
  return Buffer.concat([head, crypto.createHash('sha1').update(head).digest()]);
})();
const PROGRESS_RE = /([^:]*).*\((\d+?)\/(\d+?)\)/;

/**
 * Reads a whole upload-pack answer (side-band-64k), hands its pack to `receive.store` and the
 * server's progress lines to `receive.progress`, and returns the answer as isomorphic-git must
 * see it: the same pkt-lines with the pack replaced by an empty one and progress dropped
 * (already reported, in order, before indexing).
 */
async function takePack(body: AsyncIterable<Uint8Array>, receive: PackReceiver): Promise<Buffer> {
  const kept: Buffer[] = [];
  const pack: Buffer[] = [];
  let failed = false;
  let pending: Buffer = Buffer.alloc(0);
  let text = '';
  const progressText = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    const lines = text.split(/[\r\n]/);
    text = lines.pop() ?? '';
    for (const line of lines) {
      const m = PROGRESS_RE.exec(line);
      if (m) receive.progress({ phase: m[1].trim(), loaded: Number(m[2]), total: Number(m[3]) });
    }
  };
  for await (const chunk of body) {
    pending = pending.length ? Buffer.concat([pending, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let i = 0;
    while (pending.length - i >= 4) {
      const lenText = pending.toString('latin1', i, i + 4);
      if (!/^[0-9a-f]{4}$/i.test(lenText)) {
        throw new AppError('network', 'the server answered with something other than git pkt-lines (no side-band support?); try again or clone with git', {});
      }
      const len = parseInt(lenText, 16);
      if (len < 4) {
        // flush (0000), delim (0001), response-end (0002): kept as they are.
        kept.push(pending.subarray(i, i + 4));
        i += 4;
        continue;
      }
      if (pending.length - i < len) break;
      const band = pending[i + 4];
      if (band === 1) {
        if (pack.length === 0) kept.push(pkt(Buffer.concat([Buffer.from([1]), EMPTY_PACK])));
        // Copied out: `pending` is a view of a buffer that is about to be dropped or reused.
        pack.push(Buffer.from(pending.subarray(i + 5, i + len)));
      } else if (band === 2) {
        progressText(pending.subarray(i + 5, i + len));
      } else {
        if (band === 3) failed = true;
        kept.push(Buffer.from(pending.subarray(i, i + len)));
      }
      i += len;
    }
    pending = pending.subarray(i);
  }
  if (pending.length) kept.push(pending);
  // A server that reported a fatal error sent a cut pack: isomorphic-git reports the error.
  if (!failed && pack.length) await receive.store(Buffer.concat(pack));
  return Buffer.concat(kept);
}

/**
 * True when a smart-HTTP ref advertisement is well formed: pkt-lines throughout, and every
 * line after the `# service=` header naming an object id and a ref (protocol v0/v1), or a
 * capability line of protocol v2. isomorphic-git reads a garbled one as an "object not found".
 */
export function isRefAdvertisement(body: Buffer): boolean {
  let i = 0;
  let lines = 0;
  while (i < body.length) {
    const lenText = body.toString('latin1', i, i + 4);
    if (!/^[0-9a-f]{4}$/.test(lenText)) return false;
    const len = parseInt(lenText, 16);
    if (len < 4) {
      i += 4;
      continue;
    }
    if (i + len > body.length) return false;
    const line = body.toString('latin1', i + 4, i + len).replace(/\n$/, '');
    i += len;
    if (lines++ === 0 && line.startsWith('# service=')) continue;
    if (/^version \d$/.test(line)) continue;
    if (!/^[0-9a-f]{40}(?:[0-9a-f]{24})? [^\0 ]+(\0|$)/.test(line) && !/^[a-z][a-z0-9-]*(=.*)?$/.test(line)) return false;
  }
  return true;
}

export interface TransferHttp extends HttpClient {
  /** Closes the connections kept alive for this transfer. */
  close(): void;
}

/**
 * An HTTP client for isomorphic-git on node:http(s). isomorphic-git has no cancel of its own:
 * here each request carries the signal, so a cancel destroys the socket and the body being
 * read, and the clone's promise rejects at once. A connection that breaks is recorded in
 * `state.broken`: isomorphic-git turns a cut stream into parse errors, and the user must hear
 * "the connection was lost", not "bad pkt-line". Redirects are followed like git does, never
 * from https down to http, and credentials are not carried to another host.
 */
export function transferHttp(
  state: TransferState,
  onDownload?: (loaded: number, total: number, done: boolean) => void,
  receive?: PackReceiver,
): TransferHttp {
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  const signal = state.signal;
  let lastReused = false;

  const send = (url: URL, method: string, headers: Record<string, string>, body?: Buffer) =>
    new Promise<{ req: http.ClientRequest; res: http.IncomingMessage }>((resolve, reject) => {
      const mod = url.protocol === 'https:' ? https : http;
      const req = mod.request(url, { method, headers, agent: url.protocol === 'https:' ? agents.https : agents.http, signal });
      req.setTimeout(idleTimeoutMs(), () => req.destroy(timeoutError()));
      lastReused = false;
      req.on('socket', () => (lastReused = req.reusedSocket));
      req.on('response', (res) => resolve({ req, res }));
      req.on('error', (err) => {
        if (!signal?.aborted && !isAbortError(err)) state.broken ??= err;
        reject(signal?.aborted || isAbortError(err) ? cancelledError() : err);
      });
      req.end(body);
    });

  async function* readBody(req: http.ClientRequest, res: http.IncomingMessage, track: boolean): AsyncGenerator<Uint8Array> {
    const encoding = (res.headers['content-encoding'] ?? '').toLowerCase();
    let stream: Readable = res;
    if (encoding === 'gzip' || encoding === 'x-gzip' || encoding === 'deflate') {
      const unzip = encoding === 'deflate' ? zlib.createInflate() : zlib.createGunzip();
      stream = pipeline(res, unzip, () => undefined);
    }
    const declared = encoding ? NaN : Number(res.headers['content-length']);
    const total = Number.isFinite(declared) ? declared : 0;
    let received = 0;
    const onAbort = () => req.destroy(cancelledError());
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for await (const chunk of stream) {
        received += (chunk as Buffer).length;
        if (track) onDownload?.(received, total, false);
        yield chunk as Buffer;
      }
      if (!res.complete || (total > 0 && received < total)) throw prematureError();
      if (track) onDownload?.(received, total, true);
    } catch (err) {
      if (signal?.aborted || isAbortError(err)) throw cancelledError();
      state.broken ??= err;
      throw err;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      // A body isomorphic-git stopped reading (a 401 page) must not hold its socket forever.
      if (!res.complete) res.destroy();
    }
  }

  return {
    async request(r: GitHttpRequest): Promise<GitHttpResponse> {
      if (signal?.aborted) throw cancelledError();
      const body = r.body ? await collectBody(r.body) : undefined;
      let method = (r.method ?? 'GET').toUpperCase();
      let headers = withoutHeader(r.headers ?? {}, 'content-length');
      if (body) headers['Content-Length'] = String(body.length);
      let url = new URL(r.url);
      // The URL's user-info is never sent as-is: isomorphic-git turns it into a header itself.
      url.username = '';
      url.password = '';
      for (let hop = 0; ; hop++) {
        let sent: Awaited<ReturnType<typeof send>>;
        try {
          sent = await send(url, method, headers, body);
        } catch (err) {
          // A kept-alive socket the server closed meanwhile fails at once: Node's advice is
          // to retry that one case (git's requests are safe to repeat).
          if (!(err instanceof AppError) && (err as NodeJS.ErrnoException).code === 'ECONNRESET' && lastReused) {
            state.broken = null;
            sent = await send(url, method, headers, body);
          } else {
            throw err;
          }
        }
        const { req, res } = sent;
        const status = res.statusCode ?? 0;
        const location = res.headers.location;
        if (status >= 300 && status < 400 && status !== 304 && location) {
          res.resume();
          const next = new URL(location, url);
          const shown = stripUserInfo(state.url);
          if (hop >= MAX_REDIRECTS) throw new AppError('network', `${state.action} ${shown}: too many redirects; check the URL`, { url: shown });
          if (next.protocol !== 'https:' && (url.protocol === 'https:' || next.protocol !== 'http:')) {
            throw new AppError('bad-input', `${state.action} ${shown}: the server redirects to ${stripUserInfo(next.href)}, which is not https; check the URL`, { url: shown });
          }
          if (next.origin !== url.origin) headers = withoutHeader(headers, 'authorization');
          // git's requests stay what they are (a POST of upload-pack is not a form): only 303
          // says to switch to GET.
          if (status === 303) method = 'GET';
          url = next;
          continue;
        }
        const track = method === 'POST' && /\/git-upload-pack$/.test(url.pathname);
        let answer: AsyncIterableIterator<Uint8Array> = readBody(req, res, track);
        if (track && receive && status === 200) {
          // The pack is taken out of the answer, indexed and stored here, before isomorphic-git
          // sees the answer: so no ref it writes can name an object not yet on disk.
          const rest = await takePack(answer, receive);
          answer = (async function* () {
            yield rest;
          })();
        } else if (method === 'GET') {
          // The ref advertisement is read whole before isomorphic-git sees it: it stops at
          // whatever it takes for the end, and a cut list of refs would clone or prune a
          // partial set of branches as if that were all the server has.
          const parts: Uint8Array[] = [];
          for await (const chunk of answer) parts.push(chunk);
          if (status === 200 && /advertisement/.test(String(res.headers['content-type'] ?? '')) && !isRefAdvertisement(Buffer.concat(parts))) {
            const shown = stripUserInfo(state.url);
            throw new AppError('network', `${state.action} ${shown}: the server's list of branches arrived garbled; retry, and check for a proxy that alters the traffic`, { url: shown });
          }
          answer = (async function* () {
            yield* parts;
          })();
        }
        return {
          url: url.href,
          method,
          statusCode: status,
          statusMessage: res.statusMessage ?? '',
          headers: flattenHeaders(res.headers),
          body: answer,
        };
      }
    },
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// One transfer: state, HTTP, auth and progress together

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

const TEMP_MARK = '.lockstep-clone-';

/** What fetchEveryBranch learnt of the remote's HEAD. */
export type RemoteHead =
  /** The branch it names (`refs/heads/testing-devel`); null: the remote has no commits. */
  | { branch: string | null }
  /** It names a branch the remote does not have. */
  | { dangling: true };

/**
 * git.fetch of every branch that also works when the remote's HEAD names a missing branch.
 * isomorphic-git resolves the remote's HEAD twice: to choose what to fetch (before anything
 * is written: then a real branch is named instead) and, at the very end, to report the
 * default branch (after the pack is stored and the refs written: then the fetch is done).
 */
export async function fetchEveryBranch(
  t: Transfer,
  args: { gitdir: string; remote: string; url: string; tags: boolean; prune?: boolean; fs?: typeof atomicFs | typeof stagedFs },
): Promise<RemoteHead> {
  const hooks = { onProgress: t.onProgress, onAuth: t.onAuth, onAuthSuccess: t.onAuthSuccess, onAuthFailure: t.onAuthFailure };
  const run = (remoteRef?: string) =>
    git.fetch({ fs: args.fs ?? atomicFs, http: t.http, gitdir: args.gitdir, remote: args.remote, remoteRef, singleBranch: false, tags: args.tags, prune: args.prune, ...hooks });
  try {
    const r = await run();
    return { branch: r.fetchHead && r.defaultBranch?.startsWith('refs/heads/') ? r.defaultBranch : null };
  } catch (err) {
    if (!isDanglingHead(err) || t.state.signal?.aborted) throw err;
  }
  const heads = await git.listServerRefs({ http: t.http, url: args.url, prefix: 'refs/heads/', protocolVersion: 1, ...hooks });
  if (heads.length === 0) return { dangling: true };
  try {
    await run(heads[0].ref);
  } catch (err) {
    if (!isDanglingHead(err) || t.state.signal?.aborted || t.state.broken) throw err;
  }
  return { dangling: true };
}

/**
 * True when the server's branches and tags are exactly what the repo already has under
 * `refs/remotes/<remote>/` and `refs/tags/`: a fetch would bring nothing and prune nothing.
 * One ref advertisement answers it; isomorphic-git's own fetch would first load every pack
 * index to see that it has the objects (a quarter of a second on a 10× history).
 */
export async function serverMatches(t: Transfer, url: string, local: ReadonlyMap<string, string>, remote: string): Promise<boolean> {
  const hooks = { onAuth: t.onAuth, onAuthSuccess: t.onAuthSuccess, onAuthFailure: t.onAuthFailure };
  const refs = await git.listServerRefs({ http: t.http, url, protocolVersion: 1, ...hooks });
  const prefix = `refs/remotes/${remote}/`;
  let branches = 0;
  for (const r of refs) {
    if (r.ref.startsWith('refs/heads/')) {
      branches++;
      if (local.get(`${prefix}${r.ref.slice('refs/heads/'.length)}`) !== r.oid) return false;
    } else if (r.ref.startsWith('refs/tags/') && !r.ref.endsWith('^{}')) {
      if (local.get(r.ref) !== r.oid) return false;
    }
  }
  const localBranches = [...local.keys()].filter((k) => k.startsWith(prefix)).length;
  return branches === localBranches;
}

/** isomorphic-git's failure when the remote's HEAD is not among its refs. */
function isDanglingHead(err: unknown): boolean {
  const e = err as { code?: string; data?: { what?: string } } | null;
  return e?.code === 'NotFoundError' && e.data?.what === 'HEAD';
}

/** Removes temporary folders of clones into the same destination whose process is gone (a kill). */
function sweepStaleTemps(parent: string, base: string): void {
  let entries: string[];
  try {
    entries = fs.readdirSync(parent);
  } catch {
    return;
  }
  const prefix = `.${base}${TEMP_MARK}`;
  for (const e of entries) {
    if (!e.startsWith(prefix)) continue;
    const pid = Number(e.slice(prefix.length).split('-')[0]);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
      continue; // still running: another clone in progress
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') continue;
    }
    fs.rmSync(path.join(parent, e), { recursive: true, force: true });
  }
}

/** Removes folders we created for the destination's parent, innermost first, while empty. */
function removeCreatedParents(parent: string, firstCreated: string | undefined): void {
  if (!firstCreated) return;
  let p = parent;
  while (p.length >= firstCreated.length && p.startsWith(firstCreated)) {
    try {
      fs.rmdirSync(p);
    } catch {
      return;
    }
    p = path.dirname(p);
  }
}

/** The remote's default branch as the clone's own, tracking it and named by HEAD, as git clone leaves it. */
async function setDefaultBranch(gitdir: string, name: string): Promise<void> {
  const oid = await git.resolveRef({ fs: stagedFs, gitdir, ref: `refs/remotes/origin/${name}` });
  await git.setConfig({ fs: stagedFs, gitdir, path: `branch.${name}.remote`, value: 'origin' });
  await git.setConfig({ fs: stagedFs, gitdir, path: `branch.${name}.merge`, value: `refs/heads/${name}` });
  await git.writeRef({ fs: stagedFs, gitdir, ref: `refs/heads/${name}`, value: oid });
  await git.writeRef({ fs: stagedFs, gitdir, ref: 'HEAD', value: `refs/heads/${name}`, symbolic: true, force: true });
}

/** Clone all branches of `url` into `dir` as a BARE repo (gitdir = dir, core.bare=true, no checkout). */
export async function cloneRepo(url: string, dir: string, opts: TransferOptions = {}): Promise<void> {
  const u = checkHttpUrl(url);
  url = url.trim();
  let target = path.resolve(dir);
  let existed = false;
  if (fs.existsSync(target)) {
    target = fs.realpathSync(target);
    if (!fs.statSync(target).isDirectory()) {
      throw new AppError('bad-input', `${target} exists and is not a folder; choose another destination`, { file: target });
    }
    if (fs.readdirSync(target).length > 0) {
      throw new AppError('bad-input', `${target} already exists and is not empty; choose another destination or empty it first`, { file: target });
    }
    existed = true;
  }
  if (opts.signal?.aborted) throw toTransferError(cancelledError(), newTransferState('clone of', url));

  const parent = path.dirname(target);
  const base = path.basename(target);
  let createdParent: string | undefined;
  try {
    createdParent = fs.mkdirSync(parent, { recursive: true });
  } catch (err) {
    throw new AppError('io', `cannot create ${parent} (${(err as NodeJS.ErrnoException).code ?? 'error'}); choose a destination you can write to`, { file: parent });
  }
  sweepStaleTemps(parent, base);
  const tmp = path.join(parent, `.${base}${TEMP_MARK}${process.pid}-${crypto.randomBytes(4).toString('hex')}`);

  // Built in a folder nobody reads until the rename: its files are written plainly and made
  // durable together just before it (syncTree), not one fsynced temp-and-rename each.
  const t = startTransfer('clone of', url, opts, tmp, true);
  try {
    fs.mkdirSync(tmp);
    // git.clone's own steps, less its "checkout": even with noCheckout it loads the new pack
    // into isomorphic-git (its index, the whole pack, pako) to read one commit, ~20 ms of a
    // clone of the fixture; verifyRefTargets below checks every ref's object instead.
    await git.init({ fs: stagedFs, gitdir: tmp, bare: true });
    await git.addRemote({ fs: stagedFs, gitdir: tmp, remote: 'origin', url });
    const head = await fetchEveryBranch(t, { gitdir: tmp, remote: 'origin', url, tags: true, fs: stagedFs });
    if (opts.signal?.aborted) throw cancelledError();
    // isomorphic-git can take a cut stream for a short one and finish "successfully".
    if (t.state.broken) throw t.state.broken;
    await verifyRefTargets(tmp, await refFileTexts(tmp));
    if ('dangling' in head) {
      // git clones every branch anyway and warns, with HEAD left unborn.
      opts.onWarning?.('remote HEAD refers to a branch that does not exist; every branch was cloned, none is checked out');
    } else if (head.branch) {
      await setDefaultBranch(tmp, head.branch.slice('refs/heads/'.length));
    }
    // A token typed into the URL served this clone; it is not kept in the repo's config
    // (later fetches ask the credential provider). The user name stays: helpers key on it.
    if (u.password) {
      u.password = '';
      await git.setConfig({ fs: stagedFs, gitdir: tmp, path: 'remote.origin.url', value: u.href });
    }
    await syncTree(tmp);
    if (opts.signal?.aborted) throw cancelledError();
    try {
      fs.renameSync(tmp, target);
    } catch (err) {
      // Windows (and some file systems) will not rename over an empty folder: remove it first.
      if (existed && fs.existsSync(target) && fs.readdirSync(target).length === 0) {
        fs.rmdirSync(target);
        fs.renameSync(tmp, target);
      } else if (fs.existsSync(target)) {
        throw new AppError('bad-input', `${target} was created by something else during the clone; choose another destination`, { file: target });
      } else {
        throw err;
      }
    }
    // The clone is done once its name is: a power cut before this fsync could undo the rename.
    await fsyncDir(parent);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
    if (!existed) removeCreatedParents(parent, createdParent);
    throw toTransferError(err, t.state);
  } finally {
    t.http.close();
  }
}
