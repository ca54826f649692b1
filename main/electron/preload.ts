/** Exposes only the typed API contract to the sandboxed renderer, as `window.lockstep`. */
import { contextBridge, ipcRenderer } from 'electron';
import { API_CHANNELS, API_EVENTS } from '../../shared/api/contract';

const calls = new Set<string>(API_CHANNELS);
const events = new Set<string>(API_EVENTS);

contextBridge.exposeInMainWorld('lockstep', {
  invoke(channel: string, req: unknown) {
    if (!calls.has(channel)) return Promise.resolve({ ok: false, error: { code: 'bad-input', message: `unknown call ${channel}`, data: {} } });
    return ipcRenderer.invoke(`lockstep:${channel}`, req);
  },
  on(event: string, listener: (payload: unknown) => void) {
    if (!events.has(event)) return () => undefined;
    const wrapped = (_e: unknown, msg: { event: string; payload: unknown }) => {
      if (msg.event === event) listener(msg.payload);
    };
    ipcRenderer.on('lockstep:event', wrapped);
    return () => ipcRenderer.removeListener('lockstep:event', wrapped);
  },
});
