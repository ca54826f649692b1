/**
 * The transport both hosts give the renderer. Electron: the preload exposes an object of this
 * shape as `window.lockstep` (contextBridge). Browser host: `renderer/api.ts` builds one over
 * HTTP + WebSocket:
 *   - `POST /api/<channel>` with body `{"req": <request>}` and header `X-Lockstep-Token: <token>`
 *     answers `200` with a `Result` (`{ok: true, value}` or `{ok: false, error: {code, message, data}}`),
 *     or `400` with the same `Result` when the request or one of its fields has the wrong type
 *     (`error.code` `bad-input`, `error.data.field` naming it, `error.data.malformed` true);
 *   - `GET /events?token=<token>` upgrades to a WebSocket carrying `{"event": name, "payload": ...}`.
 * The token comes from the page URL (`?token=`); requests with a foreign Origin or Host are refused.
 */
import { ERROR_CODES } from '../errors';
import type { Result } from '../result';
import type { ApiChannel, ApiEventName, ApiEvents, ApiRequest, ApiResponse } from './contract';

export interface HostBridge {
  invoke<K extends ApiChannel>(channel: K, req: ApiRequest<K>): Promise<Result<ApiResponse<K>>>;
  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
}

export const TOKEN_HEADER = 'X-Lockstep-Token';
export const EVENTS_PATH = '/events';
export const API_PREFIX = '/api/';

/** The Electron IPC channel of a contract call; the preload and the main process both use it. */
export const ipcChannel = (c: ApiChannel) => `lockstep:${c}`;
/** The one IPC channel events travel on, as `{event, payload}`. */
export const IPC_EVENT = 'lockstep:event';

/**
 * The Result of a browser-host answer that is not a 200: a `400` carries the call's own Result
 * (which field was malformed, written for the user); anything else becomes an error naming the
 * status. `body` is the answer's text.
 */
export function resultOfAnswer(status: number, body: string): Result<never> {
  try {
    const r = JSON.parse(body) as { ok?: unknown; error?: { code?: unknown; message?: unknown; data?: unknown } };
    if (r && r.ok === false && r.error && typeof r.error.code === 'string' && ERROR_CODES.has(r.error.code) && typeof r.error.message === 'string') {
      const data = r.error.data && typeof r.error.data === 'object' ? (r.error.data as Record<string, unknown>) : {};
      return { ok: false, error: { code: r.error.code, message: r.error.message, data } } as Result<never>;
    }
  } catch {
    // Not a Result: a plain-text refusal.
  }
  return { ok: false, error: { code: 'internal', message: `The Lockstep host answered ${status}: ${body.trim().slice(0, 300)}`, data: {} } };
}
