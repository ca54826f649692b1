import { describe, expect, it, vi } from 'vitest';
import { API_CHANNELS } from '../../../../shared/api/contract';
import { AppError } from '../../../../shared/errors';
import { ipcChannel, registerIpc, trustedSenderCheck } from '../../../../main/electron/ipc';
import type { AppBackend } from '../../../../main/app/backend';
import { validRequest } from '../../../helpers/valid-requests';

type Handler = (e: unknown, req: unknown) => Promise<unknown>;

function fakeBackend(): AppBackend {
  const handlers = Object.fromEntries(API_CHANNELS.map((c) => [c, vi.fn(async (req: unknown) => ({ channel: c, req }))])) as unknown as AppBackend['handlers'];
  const h = handlers as unknown as Record<string, ReturnType<typeof vi.fn>>;
  h['streams:list'].mockImplementation(async () => {
    throw new AppError('bad-input', 'no repository is open', { file: '/x' });
  });
  h['diff:refs'].mockImplementation(async () => {
    throw new Error('kaput');
  });
  h['refs:list'].mockImplementation(() => {
    throw 'a string';
  });
  h['repo:fetch'].mockImplementation(async () => {
    throw new AppError('auth', 'https://bob:s3cret@git.example/x.git refused the credentials');
  });
  h['repo:close'].mockImplementation(async () => undefined);
  return { handlers, start: async () => undefined, dispose: () => undefined };
}

/** A fake ipcMain that collects what is registered. */
function fakeIpcMain() {
  const registered = new Map<string, Handler>();
  return { registered, ipcMain: { handle: (ch: string, fn: Handler) => void registered.set(ch, fn) } };
}

describe('Electron IPC wiring', () => {
  const backend = fakeBackend();
  const { registered, ipcMain } = fakeIpcMain();
  registerIpc(ipcMain as never, backend, (e) => (e as unknown as { trusted: boolean }).trusted);
  const call = (channel: string, req: unknown, trusted = true) => registered.get(ipcChannel(channel as never))!({ trusted }, req);

  it('registers a handler for every call of the contract, and nothing else', () => {
    expect([...registered.keys()].sort()).toEqual(API_CHANNELS.map(ipcChannel).sort());
    expect(registered.size).toBe(API_CHANNELS.length);
  });

  it('answers trusted senders with a Result', async () => {
    for (const c of API_CHANNELS.filter((c) => !['streams:list', 'diff:refs', 'refs:list', 'repo:fetch', 'repo:close'].includes(c))) {
      const req = validRequest(c, { dir: '/x' });
      expect(await call(c, req), c).toEqual({ ok: true, value: { channel: c, req } });
    }
    expect(await call('repo:close', undefined)).toEqual({ ok: true, value: null });
  });

  it('refuses untrusted senders without calling the back end', async () => {
    const spy = backend.handlers['repo:open'] as unknown as ReturnType<typeof vi.fn>;
    spy.mockClear();
    const r = (await call('repo:open', { dir: '/x' }, false)) as { ok: boolean; error: { code: string; message: string } };
    expect(r).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(r.error.message).toMatch(/did not come from the app window/);
    expect(spy).not.toHaveBeenCalled();
  });

  it('refuses when the sender check itself throws', async () => {
    const { registered: reg, ipcMain: ipc } = fakeIpcMain();
    registerIpc(ipc as never, backend, () => {
      throw new Error('no frame');
    });
    expect(await reg.get('lockstep:app:info')!({}, undefined)).toMatchObject({ ok: false, error: { code: 'bad-input' } });
  });

  it('turns a thrown AppError into a plain error with its place', async () => {
    expect(await call('streams:list', undefined)).toEqual({ ok: false, error: { code: 'bad-input', message: 'no repository is open', data: { file: '/x' } } });
  });

  it('turns any other throw into an internal error, never rejecting and never sending a stack', async () => {
    const r = await call('diff:refs', validRequest('diff:refs'));
    expect(r).toEqual({ ok: false, error: { code: 'internal', message: 'kaput', data: {} } });
    expect(JSON.stringify(r)).not.toContain('at ');
    expect(await call('refs:list', undefined)).toEqual({ ok: false, error: { code: 'internal', message: 'a string', data: {} } });
  });

  it('keeps credentials in URLs out of error messages', async () => {
    const r = (await call('repo:fetch', validRequest('repo:fetch'))) as { error: { message: string } };
    expect(r.error.message).toBe('https://git.example/x.git refused the credentials');
  });
});

describe('the sender check', () => {
  const isApp = (url: string) => url === 'file:///app/index.html';
  const check = trustedSenderCheck(isApp);

  it('trusts the main frame of the app page only', () => {
    expect(check({ senderFrame: { url: 'file:///app/index.html', parent: null } } as never)).toBe(true);
    expect(check({ senderFrame: { url: 'https://evil.example/', parent: null } } as never)).toBe(false);
    expect(check({ senderFrame: { url: 'file:///app/index.html', parent: {} } } as never)).toBe(false);
    expect(check({ senderFrame: null } as never)).toBe(false);
  });
});
