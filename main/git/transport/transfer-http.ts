/**
 * The HTTP client every transfer (clone, fetch, the ref advertisement) runs through: it really
 * aborts on cancel, gives up on a server silent past the idle timeout, follows redirects only on
 * the same host, and tells a broken connection apart from bad data; the pack is received as it
 * streams, with progress.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { pipeline, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import type { GitHttpRequest, GitHttpResponse, HttpClient } from 'isomorphic-git';
import { AppError } from '../../../shared/errors';
import { isAbortError, stripUserInfo, type TransferState } from '../errors';

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

/**
 * A server that sends nothing for this long is treated as gone (git's keep-alives come every
 * 5 s). LOCKSTEP_NET_IDLE_TIMEOUT_MS changes it: longer behind a proxy that buffers whole
 * answers, shorter in tests of a server that hangs.
 */
export function idleTimeoutMs(): number {
  const v = Number(process.env.LOCKSTEP_NET_IDLE_TIMEOUT_MS);
  return Number.isFinite(v) && v > 0 ? v : 120_000;
}
export const MAX_REDIRECTS = 10;

export const cancelledError = () => new AppError('cancelled', 'cancelled');

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
 * here each request listens to the signal, so a cancel destroys the socket and the body being
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
    new Promise<http.IncomingMessage>((resolve, reject) => {
      const mod = url.protocol === 'https:' ? https : http;
      // Not `signal` in the options: Node then destroys with an error, and when the answer is
      // already whole its kept-alive socket has, for a tick, no 'error' listener, so a cancel
      // on the last chunk became an uncaught exception. Destroyed without an error, the request
      // still fails ('socket hang up') or its body ends, and the signal says why.
      const req = mod.request(url, { method, headers, agent: url.protocol === 'https:' ? agents.https : agents.http });
      const onAbort = () => req.destroy();
      signal?.addEventListener('abort', onAbort, { once: true });
      req.once('close', () => signal?.removeEventListener('abort', onAbort));
      req.setTimeout(idleTimeoutMs(), () => req.destroy(timeoutError()));
      lastReused = false;
      req.on('socket', () => (lastReused = req.reusedSocket));
      req.on('response', resolve);
      req.on('error', (err) => {
        if (!signal?.aborted && !isAbortError(err)) state.broken ??= err;
        reject(signal?.aborted || isAbortError(err) ? cancelledError() : err);
      });
      req.end(body);
    });

  async function* readBody(res: http.IncomingMessage, track: boolean): AsyncGenerator<Uint8Array> {
    const encoding = (res.headers['content-encoding'] ?? '').toLowerCase();
    let stream: Readable = res;
    if (encoding === 'gzip' || encoding === 'x-gzip' || encoding === 'deflate') {
      const unzip = encoding === 'deflate' ? zlib.createInflate() : zlib.createGunzip();
      stream = pipeline(res, unzip, () => undefined);
    }
    const declared = encoding ? NaN : Number(res.headers['content-length']);
    const total = Number.isFinite(declared) ? declared : 0;
    let received = 0;
    // A cancel destroys the request (see `send`), which ends or breaks this read.
    try {
      for await (const chunk of stream) {
        received += (chunk as Buffer).length;
        if (track) onDownload?.(received, total, false);
        yield chunk as Buffer;
      }
      if (signal?.aborted) throw cancelledError();
      if (!res.complete || (total > 0 && received < total)) throw prematureError();
      if (track) onDownload?.(received, total, true);
    } catch (err) {
      if (signal?.aborted || isAbortError(err)) throw cancelledError();
      state.broken ??= err;
      throw err;
    } finally {
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
        let res: http.IncomingMessage;
        try {
          res = await send(url, method, headers, body);
        } catch (err) {
          // A kept-alive socket the server closed meanwhile fails at once: Node's advice is
          // to retry that one case (git's requests are safe to repeat).
          if (!(err instanceof AppError) && (err as NodeJS.ErrnoException).code === 'ECONNRESET' && lastReused) {
            state.broken = null;
            res = await send(url, method, headers, body);
          } else {
            throw err;
          }
        }
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
        let answer: AsyncIterableIterator<Uint8Array> = readBody(res, track);
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
