/**
 * The only file that touches the host bridge. Electron's preload exposes `window.lockstep`;
 * anywhere else (the browser host, `lockstep serve`) a HostBridge is built over the wire
 * protocol of shared/api/bridge.ts: `POST /api/<channel>` with the run's token in a header, and
 * a WebSocket on `/events` for events.
 */
import { API_PREFIX, EVENTS_PATH, resultOfAnswer, TOKEN_HEADER, type HostBridge } from '../shared/api/bridge';
import type { ApiChannel, ApiEventName, ApiEvents, ApiRequest, ApiResponse } from '../shared/api/contract';
import { AppError } from '../shared/errors';
import type { DeepReadonly } from '../shared/readonly';
import type { Result } from '../shared/result';

declare global {
  interface Window {
    lockstep?: HostBridge;
  }
}

/** Whether the event channel to the host is up (the browser host's WebSocket; always up in Electron). */
export type Connection = 'connecting' | 'open' | 'lost';

const TOKEN_KEY = 'lockstep-token';
const connectionListeners = new Set<(c: Connection) => void>();
let connection: Connection = 'connecting';

function setConnection(c: Connection): void {
  if (c === connection) return;
  connection = c;
  for (const l of connectionListeners) l(c);
}

/**
 * Reads the run's token once, then takes it out of the address bar (history, bookmarks and
 * screenshots never hold it). The tab keeps it in sessionStorage so a reload still works.
 */
function takeToken(): string {
  const params = new URLSearchParams(location.search);
  const fromUrl = params.get('token');
  if (fromUrl !== null) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    params.delete('token');
    const rest = params.toString();
    history.replaceState(history.state, '', `${location.pathname}${rest ? `?${rest}` : ''}${location.hash}`);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

function browserBridge(): HostBridge {
  const token = takeToken();
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  let retry = 500;

  const connect = () => {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${location.host}${EVENTS_PATH}?token=${encodeURIComponent(token)}`);
    ws.onopen = () => {
      retry = 500;
      setConnection('open');
    };
    ws.onmessage = (m) => {
      let msg: { event: string; payload: unknown };
      try {
        msg = JSON.parse(String(m.data)) as { event: string; payload: unknown };
      } catch {
        return;
      }
      for (const l of listeners.get(msg.event) ?? []) l(msg.payload);
    };
    ws.onclose = () => {
      setConnection('lost');
      // Back off up to 5 s: the host may be restarting, or gone for good.
      setTimeout(connect, retry);
      retry = Math.min(5000, retry * 2);
    };
  };
  connect();

  return {
    async invoke(channel, req) {
      let res: Response;
      try {
        res = await fetch(`${API_PREFIX}${channel}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', [TOKEN_HEADER]: token },
          body: JSON.stringify({ req }),
        });
      } catch {
        setConnection('lost');
        return {
          ok: false,
          error: { code: 'network', message: 'Cannot reach the Lockstep host: is `lockstep serve` still running?', data: {} },
        };
      }
      if (res.status === 401) {
        return {
          ok: false,
          error: { code: 'bad-input', message: 'The Lockstep host refused this page: open the URL `lockstep serve` printed (it holds the token).', data: {} },
        };
      }
      if (!res.ok) return resultOfAnswer(res.status, await res.text());
      return (await res.json()) as Result<never>;
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (p: unknown) => void);
      listeners.set(event, set);
      return () => {
        set.delete(listener as (p: unknown) => void);
      };
    },
  };
}

const electronBridge = window.lockstep;
if (electronBridge) connection = 'open';
const bridge: HostBridge = electronBridge ?? browserBridge();

/** True when running in the Electron app rather than a browser tab. */
export const isElectron = Boolean(electronBridge);

/**
 * Calls the back end; a failure throws an AppError carrying the server's message (written for
 * users). The answer is readonly all the way down: the store keeps it as received.
 */
export async function call<K extends ApiChannel>(
  channel: K,
  ...req: ApiRequest<K> extends void ? [] : [ApiRequest<K>]
): Promise<DeepReadonly<ApiResponse<K>>> {
  const r = (await bridge.invoke(channel, req[0] as ApiRequest<K>)) as Result<DeepReadonly<ApiResponse<K>>>;
  if (!r.ok) throw AppError.fromPlain(r.error);
  return r.value;
}

/** Subscribes to a back-end event (its payload readonly, like answers); returns the unsubscribe function. */
export function on<E extends ApiEventName>(event: E, listener: (payload: DeepReadonly<ApiEvents[E]>) => void): () => void {
  return bridge.on(event, listener as (payload: ApiEvents[E]) => void);
}

/** Subscribes to the state of the connection to the host. */
export function onConnection(listener: (c: Connection) => void): () => void {
  connectionListeners.add(listener);
  listener(connection);
  return () => {
    connectionListeners.delete(listener);
  };
}
