/**
 * One error type for the whole app. Every failure has a stable `code` (what kind of
 * failure, decides the CLI exit status and how the UI reacts) and structured `data`
 * (where: file, commit, package, line...). Messages tell the user what to do next.
 */

export type ErrorCode =
  /** The user's input is wrong: a bad argument, version, URL, name. */
  | 'bad-input'
  /** A file in the repo is malformed: JSON/YAML syntax, unknown lockfile shape. */
  | 'bad-file'
  /** A ref, stream, package or draft that does not exist. */
  | 'not-found'
  /** The repository is unusable: not a git repo, a corrupt object, no lockfiles. */
  | 'repo'
  /** The git identity (author name/email) is not set. */
  | 'identity-missing'
  /** Network failure: server unreachable or died during a transfer. */
  | 'network'
  /** The server refused our credentials. */
  | 'auth'
  /** Something on the other side differs from what we expected (remote branch exists...). */
  | 'conflict'
  /** A draft's stream moved since the draft was based. */
  | 'stale'
  /** The user cancelled. */
  | 'cancelled'
  /** Local I/O failed (disk full, permissions). */
  | 'io'
  /** A bug: something that should not happen. */
  | 'internal';

/** Where an error happened. All fields optional; present ones are shown to the user. */
export interface ErrorPlace {
  file?: string;
  commit?: string;
  ref?: string;
  arch?: string;
  package?: string;
  line?: number;
  column?: number;
  [key: string]: unknown;
}

/** Plain-data form of an AppError: what crosses the API between back end and UI. */
export interface PlainError {
  code: ErrorCode;
  message: string;
  data: ErrorPlace;
}

/** Every defined code: an error from elsewhere with another code is not one of ours. */
export const ERROR_CODES: ReadonlySet<string> = new Set<ErrorCode>(['bad-input', 'bad-file', 'not-found', 'repo', 'identity-missing', 'network', 'auth', 'conflict', 'stale', 'cancelled', 'io', 'internal']);

/** Codes that mean "the input was wrong": the CLI exits 2 for these. */
const BAD_INPUT_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'bad-input',
  'bad-file',
  'not-found',
  'identity-missing',
]);

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly data: ErrorPlace;

  constructor(code: ErrorCode, message: string, data: ErrorPlace = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.data = data;
  }

  /** True when the error is the user's input (CLI exit status 2). */
  get isBadInput(): boolean {
    return BAD_INPUT_CODES.has(this.code);
  }

  toPlain(): PlainError {
    return { code: this.code, message: this.message, data: { ...this.data } };
  }

  static fromPlain(p: PlainError): AppError {
    return new AppError(p.code, p.message, p.data);
  }
}

/**
 * A system error of local I/O (Node's `{code: 'ENOSPC', path}`) as an `io` AppError that names
 * the place and what to do; null for anything else. Plain data only, so shared/ stays pure.
 */
export function ioErrorOf(err: unknown): AppError | null {
  if (!err || typeof err !== 'object') return null;
  const e = err as { code?: unknown; path?: unknown; dest?: unknown; syscall?: unknown };
  if (typeof e.code !== 'string') return null;
  const at = typeof e.path === 'string' ? e.path : typeof e.dest === 'string' ? e.dest : undefined;
  const where = at ?? 'the destination folder';
  switch (e.code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new AppError('io', `disk full at ${where}; free some space and retry`, { file: at, errno: e.code });
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new AppError('io', `cannot write ${where} (${e.code}); check its permissions and retry`, { file: at, errno: e.code });
    case 'EIO':
      return new AppError('io', `input/output error at ${where}; check the disk, then retry`, { file: at, errno: e.code });
    case 'EMFILE':
    case 'ENFILE':
      return new AppError('io', `too many open files (at ${where}); close other programs or raise the limit, then retry`, { file: at, errno: e.code });
    default:
      return null;
  }
}

/** Converts anything thrown into an AppError, keeping AppErrors as they are. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const io = ioErrorOf(err);
  if (io) return io;
  // A plain error that crossed the API; a library's error with a code of its own (isomorphic-git's
  // `NotFoundError`) is not one of ours and must not pass for one.
  if (err && typeof err === 'object' && 'code' in err && 'message' in err && 'data' in err) {
    const p = err as PlainError;
    if (typeof p.code === 'string' && typeof p.message === 'string' && ERROR_CODES.has(p.code)) return AppError.fromPlain(p);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new AppError('internal', message);
}

/** Formats the place of an error as `file @ commit, package x` for one-line messages. */
export function describePlace(place: ErrorPlace): string {
  const parts: string[] = [];
  if (place.file) parts.push(place.line ? `${place.file}:${place.line}` : place.file);
  if (place.commit) parts.push(`at ${place.commit.slice(0, 12)}`);
  if (place.ref && !place.commit) parts.push(`at ${place.ref}`);
  if (place.arch) parts.push(`arch ${place.arch}`);
  if (place.package) parts.push(`package ${place.package}`);
  return parts.join(', ');
}
