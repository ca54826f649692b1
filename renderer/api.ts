/**
 * The only file that touches the host bridge: Electron's preload (`window.lockstep`) when
 * present, else the browser host's HTTP + WebSocket protocol (shared/api/bridge.ts).
 */
import { API_PREFIX, EVENTS_PATH, TOKEN_HEADER, type HostBridge } from '../shared/api/bridge';
import type { ApiChannel, ApiEventName, ApiEvents, ApiRequest, ApiResponse } from '../shared/api/contract';
import { AppError } from '../shared/errors';
import type { Result } from '../shared/result';

declare global {
  interface Window {
    lockstep?: HostBridge;
  }
}

function browserBridge(): HostBridge {
  const params = new URLSearchParams(location.search);
  const token = params.get('token') ?? sessionStorage.getItem('lockstep-token') ?? '';
  sessionStorage.setItem('lockstep-token', token);
  // The token stays out of the address bar, history and screenshots.
  if (params.has('token')) history.replaceState(null, '', location.pathname + location.hash);
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  let ws: WebSocket | null = null;
  const connect = () => {
    ws = new WebSocket(`ws://${location.host}${EVENTS_PATH}?token=${encodeURIComponent(token)}`);
    ws.onmessage = (m) => {
      const { event, payload } = JSON.parse(String(m.data)) as { event: string; payload: unknown };
      for (const l of listeners.get(event) ?? []) l(payload);
    };
    ws.onclose = () => setTimeout(connect, 1000);
  };
  connect();
  return {
    async invoke(channel, req) {
      const res = await fetch(`${API_PREFIX}${channel}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', [TOKEN_HEADER]: token },
        body: JSON.stringify({ req }),
      });
      if (!res.ok) return { ok: false, error: { code: 'internal', message: `${res.status} ${await res.text()}`, data: {} } };
      return (await res.json()) as Result<never>;
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (p: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (p: unknown) => void);
    },
  };
}

const bridge: HostBridge = window.lockstep ?? browserBridge();

/** Calls the back end; a failure throws an AppError with the server's message. */
export async function call<K extends ApiChannel>(channel: K, ...req: ApiRequest<K> extends void ? [] : [ApiRequest<K>]): Promise<ApiResponse<K>> {
  const r = (await bridge.invoke(channel, req[0] as ApiRequest<K>)) as Result<ApiResponse<K>>;
  if (!r.ok) throw AppError.fromPlain(r.error);
  return r.value;
}

export function on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
  return bridge.on(event, listener);
}

export const isElectron = Boolean(window.lockstep);
