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
