/** How the CLI reports failures: one line on stderr, exit 2 for bad input, 1 otherwise. */
import { AppError, toAppError } from '../../shared/errors';

/** Thrown for bad usage found by the CLI itself (conflicting flags...). */
export function usageError(message: string): AppError {
  return new AppError('bad-input', message);
}

/** Prints the error and returns the exit status. */
export function reportError(err: unknown): number {
  const e = toAppError(err);
  const msg = e.code === 'internal' && err instanceof Error && !(err instanceof AppError) ? `internal error: ${e.message}` : e.message;
  process.stderr.write(`lockstep: ${msg.replace(/\s*\n\s*/g, ' ')}\n`);
  if (e.code === 'internal' && process.env.LOCKSTEP_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  return e.isBadInput ? 2 : 1;
}
