/**
 * Failures of a clone or fetch (isomorphic-git errors, Node socket errors, our own HTTP client's)
 * turned into AppErrors a user can act on. Every message goes through `redact`: a password or
 * token must never reach the UI, a log or crash output, even inside a library's message.
 */
import { AppError } from '../../../shared/errors';

/** Removes `user:password@` from every URL in a text before it is shown or logged. */
export function stripUserInfo(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^@/\s?#]*@/gi, '$1');
}

/** What one transfer knows about itself when it fails. */
export interface TransferState {
  /** 'clone of', 'fetch from': the start of every message. */
  action: string;
  url: string;
  signal?: AbortSignal;
  /** Passwords and tokens handed to the server during this transfer. */
  secrets: Set<string>;
  /** The provider's credentials were refused at least once. */
  rejected: boolean;
  /** Set by the HTTP client when a connection broke mid-request or mid-body. */
  broken: unknown;
}

export function newTransferState(action: string, url: string, signal?: AbortSignal): TransferState {
  return { action, url, signal, secrets: new Set(), rejected: false, broken: null };
}

/** Scrubs URLs' user-info and every known secret from a text. */
export function redact(text: string, secrets: Iterable<string> = []): string {
  let out = stripUserInfo(text);
  for (const s of secrets) if (s) out = out.split(s).join('***');
  return out;
}

interface ErrLike {
  name?: string;
  code?: string;
  message?: string;
  data?: { statusCode?: number; statusMessage?: string };
  cause?: unknown;
}

const asErr = (e: unknown): ErrLike => (e && typeof e === 'object' ? (e as ErrLike) : { message: String(e) });

/** True for the errors Node and our client raise when an AbortSignal fires. */
export function isAbortError(err: unknown): boolean {
  const e = asErr(err);
  return e.name === 'AbortError' || e.code === 'ABORT_ERR' || (err instanceof AppError && err.code === 'cancelled');
}

const RESET_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'ERR_STREAM_PREMATURE_CLOSE',
  'UND_ERR_SOCKET',
  'HPE_INVALID_CHUNK_SIZE',
  'ERR_HTTP_REQUEST_TIMEOUT',
]);
const RESET_TEXT = /socket hang up|premature close|aborted|ended early|unexpected end|connection (reset|closed)/i;
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME']);
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EHOSTDOWN', 'EADDRNOTAVAIL']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT']);
const IO_CODES = new Set(['ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EROFS', 'EMFILE', 'ENFILE', 'EIO']);

/** The Node error code of `err` or of its cause chain. */
function codesOf(err: unknown): string[] {
  const codes: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e && depth < 5; depth++) {
    const c = asErr(e).code;
    if (c) codes.push(c);
    e = asErr(e).cause;
  }
  return codes;
}

export type NetworkKind = 'reset' | 'dns' | 'unreachable' | 'timeout' | 'tls';

/** What kind of network failure `err` is, or null when it is not one. */
export function networkKind(err: unknown): NetworkKind | null {
  const codes = codesOf(err);
  if (codes.some((c) => DNS_CODES.has(c))) return 'dns';
  if (codes.some((c) => UNREACHABLE_CODES.has(c))) return 'unreachable';
  if (codes.some((c) => TIMEOUT_CODES.has(c))) return 'timeout';
  if (codes.some((c) => /^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/.test(c))) return 'tls';
  if (codes.some((c) => RESET_CODES.has(c))) return 'reset';
  if (RESET_TEXT.test(asErr(err).message ?? '')) return 'reset';
  return null;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * Converts what a clone or fetch threw into an AppError. A cancel wins over anything else; a
 * connection that broke wins over whatever parse error isomorphic-git made of the cut stream.
 */
export function toTransferError(err: unknown, st: TransferState): AppError {
  const shown = stripUserInfo(st.url);
  const data = { url: shown };
  const what = `${st.action} ${shown}`;
  const scrub = (t: string) => redact(t, st.secrets);

  if (st.signal?.aborted || isAbortError(err)) {
    return new AppError('cancelled', `${what} was cancelled; nothing was kept, start it again when ready`, data);
  }
  if (err instanceof AppError) {
    return new AppError(err.code, scrub(err.message), { ...err.data });
  }
  const e = asErr(err);

  if (e.code === 'UserCanceledError') {
    return st.rejected
      ? new AppError('auth', `${what}: the server refused the credentials; check your user name and token and retry`, data)
      : new AppError('auth', `${what}: the server asks for credentials and none were given; set up a git credential helper or enter a token, then retry`, data);
  }
  if (e.code === 'HttpError') {
    const status = e.data?.statusCode ?? 0;
    if (status === 401 || status === 403) {
      return new AppError(
        'auth',
        `${what}: the server refused access (HTTP ${status}); check your user name and token (and that it may read this repository), then retry`,
        { ...data, status },
      );
    }
    if (status === 404) {
      return new AppError('bad-input', `${what}: no repository at that URL (HTTP 404); check the URL`, { ...data, status });
    }
    if (status === 407) {
      return new AppError('network', `${what}: a proxy asks for credentials (HTTP 407); Lockstep cannot pass a proxy, clone with git instead`, { ...data, status });
    }
    return new AppError('network', `${what}: the server answered HTTP ${status}; retry later, or check the URL if it keeps happening`, { ...data, status });
  }
  if (e.code === 'SmartHttpError') {
    return new AppError('bad-input', `${what}: the server did not answer as a git smart-HTTP server; check that the URL names a git repository`, data);
  }

  const ioCode = codesOf(err).find((c) => IO_CODES.has(c));
  if (ioCode && !st.broken) {
    const why = ioCode === 'ENOSPC' || ioCode === 'EDQUOT' ? 'the disk is full' : `a local file could not be written (${ioCode})`;
    return new AppError('io', `${what} failed: ${why}; free space or fix permissions of the destination, then retry`, data);
  }

  const kind = networkKind(err) ?? (st.broken ? (networkKind(st.broken) ?? 'reset') : null);
  if (kind) {
    const host = hostOf(shown);
    const msg: Record<NetworkKind, string> = {
      reset: `${what} failed: the connection to ${host} was lost during the transfer; check your connection and retry`,
      dns: `${what} failed: the host ${host} could not be found; check the URL or your connection and retry`,
      unreachable: `${what} failed: ${host} could not be reached; check the URL or your connection and retry`,
      timeout: `${what} failed: ${host} stopped responding; check your connection and retry`,
      tls: `${what} failed: the TLS certificate of ${host} could not be verified (${scrub(codesOf(err)[0] ?? '')}); check the URL or the system's certificates`,
    };
    return new AppError('network', msg[kind], { ...data, reason: kind });
  }

  // isomorphic-git raises these for a stream that stops short or is not what it announced.
  if (/^(ParseError|InternalError|UnknownTransportError|RemoteCapabilityError|EmptyServerResponseError)$/.test(e.code ?? '')) {
    return new AppError('network', `${what} failed: the server's answer was cut or malformed (${scrub(e.message ?? e.code ?? '')}); retry`, data);
  }
  return new AppError('internal', `${what} failed unexpectedly: ${scrub(e.message ?? String(err))}; retry, and report it if it happens again`, data);
}
