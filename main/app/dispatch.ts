/**
 * One call of the API contract, as both hosts carry it: the handler's value, or its error as
 * plain data with code, message and place only (never a stack) and every URL's credentials
 * removed. The Electron IPC and the browser host both answer through this.
 */
import type { ApiChannel, ApiHandlers } from '../../shared/api/contract';
import { toAppError, type PlainError } from '../../shared/errors';
import type { Result } from '../../shared/result';
import { checkRequestFields } from './request-fields';

/** Credentials in URLs (`https://user:secret@host`) never leave the back end, even in a message. */
export function redact(e: PlainError): PlainError {
  const clean = (s: string) => s.replace(/([a-z][a-z0-9+.-]*:\/\/)[^@/\s]*@/gi, '$1');
  return { ...e, message: clean(e.message) };
}

/** A failure as a Result. */
export function errorResult(err: unknown): Result<never> {
  return { ok: false, error: redact(toAppError(err).toPlain()) };
}

/** True when a failed call's error is a malformed request field (the browser host answers 400). */
export function isRequestFieldError(e: PlainError): boolean {
  return e.code === 'bad-input' && e.data.malformed === true && typeof e.data.field === 'string';
}

/** Runs one call; `onInternal` hears about bugs (with their stack) for the host's log. */
export async function dispatch(
  handlers: ApiHandlers,
  channel: ApiChannel,
  req: unknown,
  onInternal?: (channel: ApiChannel, err: unknown) => void,
): Promise<Result<unknown>> {
  try {
    checkRequestFields(channel, req);
    const handler = handlers[channel] as (r: unknown) => Promise<unknown>;
    return { ok: true, value: (await handler(req)) ?? null };
  } catch (err) {
    if (toAppError(err).code === 'internal') onInternal?.(channel, err);
    return errorResult(err);
  }
}
