/**
 * Exposes only the typed API contract to the sandboxed renderer, as `window.lockstep`
 * (the HostBridge of shared/api/bridge.ts): `invoke` for listed calls and `on` for listed
 * events. Nothing of ipcRenderer or Electron's event objects reaches the page.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { IPC_EVENT, ipcChannel } from '../../shared/api/bridge';
import { API_CHANNELS, API_EVENTS, type ApiChannel } from '../../shared/api/contract';

const calls: ReadonlySet<string> = new Set<string>(API_CHANNELS);
const events: ReadonlySet<string> = new Set<string>(API_EVENTS);
const listeners = new Map<string, Set<(payload: unknown) => void>>();

// One IPC listener for all events, however many subscriptions the UI makes.
ipcRenderer.on(IPC_EVENT, (_e, msg: { event?: unknown; payload?: unknown }) => {
  if (!msg || typeof msg.event !== 'string') return;
  for (const l of listeners.get(msg.event) ?? []) {
    try {
      l(msg.payload);
    } catch (err) {
      console.error(err);
    }
  }
});

contextBridge.exposeInMainWorld('lockstep', {
  invoke(channel: unknown, req: unknown) {
    if (typeof channel !== 'string' || !calls.has(channel)) {
      return Promise.resolve({ ok: false, error: { code: 'bad-input', message: `unknown call ${String(channel)}`, data: {} } });
    }
    return ipcRenderer.invoke(ipcChannel(channel as ApiChannel), req);
  },
  on(event: unknown, listener: unknown) {
    if (typeof event !== 'string' || !events.has(event) || typeof listener !== 'function') return () => undefined;
    const fn = listener as (payload: unknown) => void;
    const set = listeners.get(event) ?? new Set();
    set.add(fn);
    listeners.set(event, set);
    return () => void set.delete(fn);
  },
});
