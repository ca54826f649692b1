import { describe, expect, it } from 'vitest';
import { API_CHANNELS } from '../../../../shared/api/contract';
import { AppError } from '../../../../shared/errors';
import { ipcChannel, registerIpc } from '../../../../main/electron/ipc';
import type { AppBackend } from '../../../../main/services/app-api';

function fakeBackend(): AppBackend {
  const handlers = Object.fromEntries(API_CHANNELS.map((c) => [c, async (req: unknown) => ({ channel: c, req })])) as unknown as AppBackend['handlers'];
  (handlers as Record<string, unknown>)['streams:list'] = async () => {
    throw new AppError('bad-input', 'no repository is open');
  };
  return { handlers, start: async () => undefined, dispose: () => undefined };
}

describe('Electron IPC wiring', () => {
  const registered = new Map<string, (e: unknown, req: unknown) => Promise<unknown>>();
  registerIpc({ handle: (ch: string, fn: (e: unknown, req: unknown) => Promise<unknown>) => registered.set(ch, fn) } as never, fakeBackend(), (e) => (e as unknown as { trusted: boolean }).trusted);

  it('registers a handler for every call of the contract', () => {
    expect([...registered.keys()].sort()).toEqual(API_CHANNELS.map(ipcChannel).sort());
  });

  it('answers trusted senders with a Result', async () => {
    expect(await registered.get('lockstep:repo:open')!({ trusted: true }, { dir: '/x' })).toEqual({ ok: true, value: { channel: 'repo:open', req: { dir: '/x' } } });
  });

  it('refuses untrusted senders', async () => {
    const r = (await registered.get('lockstep:repo:open')!({ trusted: false }, { dir: '/x' })) as { ok: boolean; error: { message: string } };
    expect(r.ok).toBe(false);
    expect(r.error.message).toMatch(/did not come from the app window/);
  });

  it('turns a thrown AppError into a plain error', async () => {
    expect(await registered.get('lockstep:streams:list')!({ trusted: true }, undefined)).toEqual({
      ok: false,
      error: { code: 'bad-input', message: 'no repository is open', data: {} },
    });
  });
});
