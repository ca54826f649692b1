/**
 * GET for the build services (Bodhi, rpm-md repos): a deadline, a cap on the body read (a
 * service answering 100 MB must not take the process's memory with it), and redirects
 * followed only within the host asked (a redirect elsewhere could hand us any server's answer
 * under the name of the one the user trusts).
 */
import { AppError } from '../../../shared/errors';

/** Caps on what is read from a service (README "Limits"). */
export const LIMITS = {
  /** A Bodhi JSON answer: a page of 100 updates is ~0.5 MB. */
  jsonBytes: 16 * 1024 * 1024,
  /** repomd.xml is a few kB. */
  repomdBytes: 1024 * 1024,
  /** A compressed primary metadata file (Fedora's updates repo: ~20 MB gz). */
  compressedBytes: 128 * 1024 * 1024,
  /** The same, decompressed and stream-parsed (Fedora's everything repo: ~600 MB). */
  decompressedBytes: 1536 * 1024 * 1024,
  redirects: 5,
};

export interface GetOptions {
  /** The service named in errors ("Bodhi", "the repo at …"). */
  service: string;
  /** When the whole request (every redirect and the body) must be done. */
  deadline: number;
  maxBytes: number;
  accept?: string;
  /** Rejects on this signal too (a pool check's overall deadline). */
  signal?: AbortSignal;
  /** A POST with this body (an XML-RPC call); GET without. */
  post?: { body: string; contentType: string };
}

export interface Got {
  status: number;
  contentType: string;
  body: Buffer;
  url: string;
}

/**
 * A request that got no usable answer: `reason` says why in a few words, so each service's
 * caller can say it in its own sentence ("Koji (…) cannot be reached (timed out) and …").
 */
function failure(opts: GetOptions, url: string, why: string): AppError {
  return new AppError('network', `${opts.service} (${url}) cannot be reached (${why})`, { service: opts.service, url, reason: why });
}

/** The few words of why a request failed, or null when `err` is not a request failure. */
export function failureReason(err: unknown): string | null {
  return err instanceof AppError && typeof err.data.reason === 'string' ? err.data.reason : null;
}

/** Reads a body to its end, refusing it once it passes `max` bytes. */
async function readCapped(res: Response, max: number, onTooBig: () => AppError): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    await res.body?.cancel().catch(() => undefined);
    throw onTooBig();
  }
  const chunks: Buffer[] = [];
  let total = 0;
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => undefined);
      throw onTooBig();
    }
    chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
  }
  return Buffer.concat(chunks, total);
}

/** One GET (or POST) with the deadline, the cap and same-host redirects; any status is returned. */
export async function getCapped(url: string, opts: GetOptions): Promise<Got> {
  const ac = new AbortController();
  const left = Math.max(0, opts.deadline - Date.now());
  const timer = setTimeout(() => ac.abort(), left);
  const onOuter = () => ac.abort();
  opts.signal?.addEventListener('abort', onOuter);
  try {
    let current = new URL(url);
    const host = current.host;
    for (let hop = 0; ; hop++) {
      let res: Response;
      try {
        const headers: Record<string, string> = { Accept: opts.accept ?? '*/*' };
        if (opts.post) headers['Content-Type'] = opts.post.contentType;
        res = await fetch(current, { method: opts.post ? 'POST' : 'GET', body: opts.post?.body, headers, signal: ac.signal, redirect: 'manual' });
      } catch (err) {
        throw failure(opts, current.toString(), ac.signal.aborted ? 'timed out' : ((err as Error & { cause?: Error }).cause?.message ?? (err as Error).message));
      }
      if (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
        await res.body?.cancel().catch(() => undefined);
        const next = new URL(res.headers.get('location')!, current);
        if (next.host !== host || (next.protocol !== current.protocol && next.protocol !== 'https:')) {
          throw failure(opts, current.toString(), `redirected to another host, ${next.host}: refused`);
        }
        if (hop >= LIMITS.redirects) throw failure(opts, current.toString(), 'too many redirects');
        current = next;
        continue;
      }
      try {
        const body = await readCapped(res, opts.maxBytes, () => failure(opts, current.toString(), `its answer is larger than ${Math.round(opts.maxBytes / 1048576)} MB: refused`));
        return { status: res.status, contentType: res.headers.get('content-type') ?? '', body, url: current.toString() };
      } catch (err) {
        if (err instanceof AppError) throw err;
        throw failure(opts, current.toString(), ac.signal.aborted ? 'timed out' : (err as Error).message);
      }
    }
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onOuter);
  }
}

/** Parses a JSON body; null when it is not JSON (an HTML error page with status 200). */
export function jsonOf(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
