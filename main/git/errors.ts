/**
 * The one door from git failures to AppErrors: isomorphic-git's errors, Node's file and socket
 * errors, our HTTP clients' and the server's answers, for local operations and for transfers
 * (clone, fetch, push) alike. Nothing above main/git/ sees an isomorphic-git error: its codes
 * (`NotFoundError`, `HttpError`...) are not ours, and its messages name internals ("use force:
 * true") a user cannot act on. Decisions read codes (the error's, its cause chain's, the HTTP
 * status), never message text, except for an error that carries no code at all. Every message of
 * a transfer goes through `redact`: a password or token must never reach the UI, a log or crash
 * output, even inside a library's message.
 */
import { AppError, ioErrorOf, type ErrorCode, type ErrorPlace } from '../../shared/errors';

/** Removes `user:password@` from every URL in a text before it is shown or logged. */
export function stripUserInfo(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^@/\s?#]*@/gi, '$1');
}

/** Scrubs URLs' user-info and every known secret from a text. */
export function redact(text: string, secrets: Iterable<string> = []): string {
  let out = stripUserInfo(text);
  for (const s of secrets) if (s) out = out.split(s).join('***');
  return out;
}

/** What one transfer knows about itself when it fails. */
export interface TransferState {
  /** 'clone of', 'fetch from', 'push to': the start of every message. */
  action: string;
  url: string;
  signal?: AbortSignal;
  /** Passwords and tokens handed to the server during this transfer. */
  secrets: Set<string>;
  /** The provider's credentials were refused at least once. */
  rejected: boolean;
  /** Set by the HTTP client when a connection broke mid-request or mid-body. */
  broken: unknown;
  /** What the credentials must allow: a clone or fetch reads, a push writes. */
  access: 'read' | 'write';
  /**
   * The code of a failure nothing here can name. A push is retried by the queue on `network`,
   * so a push keeps what it cannot name retryable; a clone or fetch says `internal`.
   */
  unnamed: Extract<ErrorCode, 'network' | 'internal'>;
}

export function newTransferState(action: string, url: string, signal?: AbortSignal, access: 'read' | 'write' = 'read'): TransferState {
  return { action, url, signal, secrets: new Set(), rejected: false, broken: null, access, unnamed: access === 'write' ? 'network' : 'internal' };
}

/** Where a failure happened: a local operation (`what` and its place), or a transfer. */
export type GitFailureContext = { what: string; place?: ErrorPlace } | { transfer: TransferState };

interface ErrLike {
  name?: string;
  code?: string;
  message?: string;
  path?: string;
  data?: { statusCode?: number; what?: unknown; where?: unknown; ref?: unknown };
  cause?: unknown;
}

const asErr = (e: unknown): ErrLike => (e && typeof e === 'object' ? (e as ErrLike) : { message: String(e) });

/** True for the errors Node and our clients raise when an AbortSignal fires. */
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
// Only for an error with no code at all (a library's plain Error about a cut stream).
const RESET_TEXT = /socket hang up|premature close|aborted|ended early|unexpected end|connection (reset|closed)/i;
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME']);
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EHOSTDOWN', 'EADDRNOTAVAIL']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT']);
const IO_CODES = new Set(['ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EROFS', 'EMFILE', 'ENFILE', 'EIO']);
// isomorphic-git's codes for data that is not what it should be: locally a damaged repository,
// in a transfer a stream that stopped short or is not what it announced.
const DAMAGED_CODES = new Set(['ObjectTypeError', 'InternalError', 'ParseError']);
const CUT_CODES = new Set([...DAMAGED_CODES, 'UnknownTransportError', 'RemoteCapabilityError', 'EmptyServerResponseError']);

/** The error codes of `err` and of its cause chain. */
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

/** The error in `err`'s cause chain with a local I/O code (ENOSPC...), or null. */
function ioCauseOf(err: unknown): { code: string; path?: string } | null {
  let e: unknown = err;
  for (let depth = 0; e && depth < 5; depth++) {
    const c = asErr(e).code;
    if (c && IO_CODES.has(c)) return e as { code: string; path?: string };
    e = asErr(e).cause;
  }
  return null;
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
  if (codes.length === 0 && RESET_TEXT.test(asErr(err).message ?? '')) return 'reset';
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
 * Maps anything a git operation threw to an AppError: the one mapping every git module uses.
 * AppErrors pass through (a transfer's scrubbed of its secrets). In a transfer, a cancel wins
 * over anything else, and a connection that broke wins over whatever parse error
 * isomorphic-git made of the cut stream.
 */
export function gitFailure(err: unknown, ctx: GitFailureContext): AppError {
  return 'transfer' in ctx ? transferFailure(err, ctx.transfer) : localFailure(err, ctx.what, ctx.place ?? {});
}

/** Runs an isomorphic-git call, mapping what it throws. */
export async function gitCall<T>(what: string, fn: () => Promise<T>, place: ErrorPlace = {}): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw gitFailure(err, { what, place });
  }
}

function localFailure(err: unknown, what: string, place: ErrorPlace): AppError {
  if (err instanceof AppError) return err;
  const e = asErr(err);
  switch (e.code) {
    case 'NotFoundError':
      return new AppError('not-found', `${what}: ${String(e.data?.what ?? 'object')} not found`, place);
    case 'AlreadyExistsError':
      return new AppError('conflict', `${what}: ${String(e.data?.where ?? 'it')} already exists`, place);
    case 'InvalidRefNameError':
      return new AppError('bad-input', `${what}: "${String(e.data?.ref ?? '')}" is not a valid ref name`, place);
    case 'ENOSPC':
    case 'EDQUOT':
      return new AppError('io', `${what}: disk full at ${e.path ?? 'the repository'}; free some space and retry`, { ...place, file: e.path });
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new AppError('io', `${what}: cannot write ${e.path ?? 'the repository'} (${e.code}); check its permissions`, { ...place, file: e.path });
  }
  if (DAMAGED_CODES.has(e.code ?? '')) return new AppError('repo', `${what}: the repository looks damaged (${e.message}); run git fsck`, place);
  return new AppError('internal', `${what}: ${e.message ?? String(err)}`, place);
}

function transferFailure(err: unknown, st: TransferState): AppError {
  const shown = stripUserInfo(st.url);
  const data = { url: shown };
  const what = `${st.action} ${shown}`;
  const scrub = (t: string) => redact(t, st.secrets);

  if (st.signal?.aborted || isAbortError(err)) {
    return new AppError('cancelled', `${what} was cancelled; nothing was kept, start it again when ready`, data);
  }
  if (err instanceof AppError) return new AppError(err.code, scrub(err.message), { ...err.data });
  const e = asErr(err);

  if (e.code === 'UserCanceledError') {
    return st.rejected
      ? new AppError('auth', `${what}: the server refused the credentials; check your user name and token and retry`, data)
      : new AppError('auth', `${what}: the server asks for credentials and none were given; set up a git credential helper or enter a token, then retry`, data);
  }
  if (e.code === 'HttpError') {
    const status = e.data?.statusCode ?? 0;
    if (status === 401 || status === 403) {
      const may = st.access === 'write' ? 'push to' : 'read';
      return new AppError('auth', `${what}: the server refused access (HTTP ${status}); check your user name and token (and that it may ${may} this repository), then retry`, { ...data, status });
    }
    if (status === 404) return new AppError('bad-input', `${what}: no repository at that URL (HTTP 404); check the URL`, { ...data, status });
    if (status === 407) {
      return new AppError('network', `${what}: a proxy asks for credentials (HTTP 407); Lockstep cannot pass a proxy, clone with git instead`, { ...data, status });
    }
    return new AppError('network', `${what}: the server answered HTTP ${status}; retry later, or check the URL if it keeps happening`, { ...data, status });
  }
  if (e.code === 'SmartHttpError') {
    return new AppError('bad-input', `${what}: the server did not answer as a git smart-HTTP server; check that the URL names a git repository`, data);
  }

  const io = ioCauseOf(err);
  if (io && !st.broken) {
    // The one wording of a local I/O failure (shared/errors.ts), naming the file when the write said which.
    const local = ioErrorOf(io);
    if (local) return new AppError('io', `${what} failed: ${local.message}`, { ...data, ...local.data });
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

  if (CUT_CODES.has(e.code ?? '')) {
    return new AppError('network', `${what} failed: the server's answer was cut or malformed (${scrub(e.message ?? e.code ?? '')}); retry`, data);
  }
  if (st.unnamed === 'network') {
    const code = codesOf(err)[0];
    return new AppError('network', `${what} failed: ${code ? `${code}: ` : ''}${scrub(e.message ?? String(err))}; check the URL or your connection and retry`, data);
  }
  return new AppError('internal', `${what} failed unexpectedly: ${scrub(e.message ?? String(err))}; retry, and report it if it happens again`, data);
}
