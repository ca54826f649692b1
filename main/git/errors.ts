/**
 * isomorphic-git's errors as AppErrors with a defined code. Nothing above main/git/ sees an
 * isomorphic-git error: its codes (`NotFoundError`, `AlreadyExistsError`...) are not ours, and
 * its messages name internals ("use force: true") a user cannot act on.
 */
import { AppError, type ErrorPlace } from '../../shared/errors';

interface IsoGitError {
  code?: string;
  message?: string;
  data?: Record<string, unknown>;
}

/** Maps anything isomorphic-git throws to an AppError; AppErrors pass through. */
export function fromGitError(err: unknown, what: string, place: ErrorPlace = {}): AppError {
  if (err instanceof AppError) return err;
  const e = (err && typeof err === 'object' ? err : { message: String(err) }) as IsoGitError & NodeJS.ErrnoException;
  switch (e.code) {
    case 'NotFoundError':
      return new AppError('not-found', `${what}: ${String(e.data?.what ?? 'object')} not found`, place);
    case 'AlreadyExistsError':
      return new AppError('conflict', `${what}: ${String(e.data?.where ?? 'it')} already exists`, place);
    case 'InvalidRefNameError':
      return new AppError('bad-input', `${what}: "${String(e.data?.ref ?? '')}" is not a valid ref name`, place);
    case 'ObjectTypeError':
    case 'InternalError':
    case 'ParseError':
      return new AppError('repo', `${what}: the repository looks damaged (${e.message}); run git fsck`, place);
    case 'ENOSPC':
    case 'EDQUOT':
      return new AppError('io', `${what}: disk full at ${e.path ?? 'the repository'}; free some space and retry`, { ...place, file: e.path });
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new AppError('io', `${what}: cannot write ${e.path ?? 'the repository'} (${e.code}); check its permissions`, { ...place, file: e.path });
    default:
      return new AppError('internal', `${what}: ${e.message ?? String(err)}`, place);
  }
}

/** Runs an isomorphic-git call, mapping what it throws. */
export async function gitCall<T>(what: string, fn: () => Promise<T>, place: ErrorPlace = {}): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw fromGitError(err, what, place);
  }
}
