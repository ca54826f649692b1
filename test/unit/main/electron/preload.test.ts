import { beforeAll, describe, expect, it, vi } from 'vitest';
import { API_CHANNELS, API_EVENTS } from '../../../../shared/api/contract';

type Bridge = {
  invoke(channel: string, req: unknown): Promise<unknown>;
  on(event: string, listener: (p: unknown) => void): () => void;
};

const exposed: Record<string, Bridge> = {};
const invoke = vi.fn(async (channel: string, req: unknown) => ({ ok: true, value: { channel, req } }));
let ipcListener: ((e: unknown, msg: unknown) => void) | null = null;
const ipcOn = vi.fn((channel: string, fn: (e: unknown, msg: unknown) => void) => {
  if (channel === 'lockstep:event') ipcListener = fn;
});

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (name: string, api: Bridge) => (exposed[name] = api) },
  ipcRenderer: { invoke: (c: string, r: unknown) => invoke(c, r), on: ipcOn },
}));

describe('the preload', () => {
  beforeAll(async () => {
    await import('../../../../main/electron/preload');
  });

  it('exposes exactly invoke and on as window.lockstep', () => {
    expect(Object.keys(exposed)).toEqual(['lockstep']);
    expect(Object.keys(exposed.lockstep).sort()).toEqual(['invoke', 'on']);
  });

  it('forwards only the calls of the contract', async () => {
    for (const c of API_CHANNELS) expect(await exposed.lockstep.invoke(c, 1)).toEqual({ ok: true, value: { channel: `lockstep:${c}`, req: 1 } });
    invoke.mockClear();
    for (const c of ['lockstep:event', 'nope', '__proto__', 42]) {
      expect(await exposed.lockstep.invoke(c as string, 1)).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    }
    expect(invoke).not.toHaveBeenCalled();
  });

  it('delivers only listed events, payload only, until unsubscribed', () => {
    expect(ipcOn).toHaveBeenCalledTimes(1);
    const got: unknown[] = [];
    const off = exposed.lockstep.on(API_EVENTS[0], (p) => got.push(p));
    expect(exposed.lockstep.on('not:an-event', () => got.push('bad'))).toBeTypeOf('function');
    ipcListener!({ sender: 'ipc internals' }, { event: API_EVENTS[0], payload: { n: 1 } });
    ipcListener!({}, { event: 'not:an-event', payload: 2 });
    off();
    ipcListener!({}, { event: API_EVENTS[0], payload: { n: 3 } });
    expect(got).toEqual([{ n: 1 }]);
    // However many subscriptions, one IPC listener.
    expect(ipcOn).toHaveBeenCalledTimes(1);
  });
});
