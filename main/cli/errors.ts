/** How the CLI reports failures: one line on stderr, exit 2 for bad input, 1 otherwise. */
import { AppError, ioErrorOf, toAppError } from '../../shared/errors';
import { terminalText } from './output';

/** Thrown for bad usage found by the CLI itself (conflicting flags...). */
export function usageError(message: string): AppError {
  return new AppError('bad-input', message);
}

/**
 * A system error that reached us only as text, wrapped by a library as an internal error
 * ("ENOSPC: no space left on device, open '/x'"): read its code and path back, so a full disk
 * still says "disk full at PATH" and not "internal error".
 */
function ioFromMessage(e: AppError): AppError | null {
  if (e.code !== 'internal') return null;
  const m = /\b(ENOSPC|EDQUOT|EACCES|EPERM|EROFS|EIO|EMFILE|ENFILE)\b[^']*(?:'([^']+)')?/.exec(e.message);
  return m ? ioErrorOf({ code: m[1], path: m[2] }) : null;
}

/** Prints the error and returns the exit status. */
export function reportError(err: unknown): number {
  let e = toAppError(err);
  const io = ioFromMessage(e);
  if (io) {
    e = io;
    err = io;
  }
  const msg = e.code === 'internal' && err instanceof Error && !(err instanceof AppError) ? `internal error: ${e.message}` : e.message;
  // A message may quote a service's answer: no control character reaches the terminal.
  process.stderr.write(`lockstep: ${terminalText(msg.replace(/\s*\n\s*/g, ' '))}\n`);
  if (e.code === 'internal' && process.env.LOCKSTEP_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  return e.isBadInput ? 2 : 1;
}
