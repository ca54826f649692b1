import type { PlainError } from './errors';

/** What every API call returns across the host boundary: a value or a plain error. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: PlainError };
