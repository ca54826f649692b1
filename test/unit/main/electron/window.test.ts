import { beforeEach, describe, expect, it, vi } from 'vitest';

const handlers: Record<string, (...args: unknown[]) => unknown> = {};
const openExternal = vi.fn();
let windowOpenHandler: ((d: { url: string }) => { action: string }) | null = null;
const constructed: { webPreferences: Record<string, unknown> }[] = [];

vi.mock('electron', () => ({
  shell: { openExternal: (u: string) => openExternal(u) },
  session: { defaultSession: { webRequest: { onHeadersReceived: vi.fn() }, setPermissionRequestHandler: vi.fn() } },
  BrowserWindow: class {
    webContents = {
      on: (name: string, fn: (...args: unknown[]) => unknown) => (handlers[name] = fn),
      setWindowOpenHandler: (fn: (d: { url: string }) => { action: string }) => (windowOpenHandler = fn),
    };
    constructor(opts: { webPreferences: Record<string, unknown> }) {
      constructed.push(opts);
    }
    once() {}
    loadFile() {
      return Promise.resolve();
    }
  },
}));

const { createMainWindow, secureWebPreferences, isAppUrl, CSP } = await import('../../../../main/electron/window');

describe('the Electron window', () => {
  beforeEach(() => openExternal.mockClear());

  it('isolates the renderer: context isolation, sandbox, no Node', () => {
    expect(secureWebPreferences('/p.cjs')).toMatchObject({
      preload: '/p.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    createMainWindow('/app/dist');
    expect(constructed[0].webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
  });

  it('blocks navigation away from the app and opens only https links outside', () => {
    createMainWindow('/app/dist');
    const prevent = vi.fn();
    handlers['will-navigate']({ preventDefault: prevent }, 'https://evil.example/');
    expect(prevent).toHaveBeenCalled();
    expect(openExternal).toHaveBeenCalledWith('https://evil.example/');
    const prevent2 = vi.fn();
    handlers['will-navigate']({ preventDefault: prevent2 }, 'file:///app/dist/renderer/index.html');
    expect(prevent2).not.toHaveBeenCalled();
    openExternal.mockClear();
    handlers['will-navigate']({ preventDefault: vi.fn() }, 'file:///etc/passwd');
    handlers['will-navigate']({ preventDefault: vi.fn() }, 'http://plain.example/');
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('denies every new window', () => {
    createMainWindow('/app/dist');
    expect(windowOpenHandler!({ url: 'https://bodhi.fedoraproject.org/updates/X' })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledWith('https://bodhi.fedoraproject.org/updates/X');
    expect(windowOpenHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledTimes(1);
  });

  it('knows its own page and has a strict CSP', () => {
    expect(isAppUrl('file:///app/dist/renderer/index.html', '/app/dist/renderer/index.html')).toBe(true);
    expect(isAppUrl('file:///app/dist/renderer/other.html', '/app/dist/renderer/index.html')).toBe(false);
    expect(CSP).toContain("script-src 'self'");
    expect(CSP).not.toContain('unsafe-eval');
  });
});
