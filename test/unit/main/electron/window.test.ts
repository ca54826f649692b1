import { beforeEach, describe, expect, it, vi } from 'vitest';

type Listener = (...args: unknown[]) => unknown;

const openExternal = vi.fn(async (_url: string) => undefined);
const session = {
  onHeadersReceived: null as null | ((details: { url: string; responseHeaders?: Record<string, string[]> }, cb: (r: unknown) => void) => void),
  permissionRequest: null as null | ((wc: unknown, permission: string, cb: (granted: boolean) => void, details: { requestingUrl: string }) => void),
  permissionCheck: null as null | ((wc: unknown, permission: string, origin: string, details: { requestingUrl?: string }) => boolean),
};
const constructed: { webPreferences: Record<string, unknown> }[] = [];
const loaded: string[] = [];

class FakeContents {
  listeners: Record<string, Listener> = {};
  openHandler: ((d: { url: string }) => { action: string }) | null = null;
  on(name: string, fn: Listener) {
    this.listeners[name] = fn;
    return this;
  }
  setWindowOpenHandler(fn: (d: { url: string }) => { action: string }) {
    this.openHandler = fn;
  }
}

let lastWindow: { webContents: FakeContents } | null = null;

vi.mock('electron', () => ({
  shell: { openExternal: (u: string) => openExternal(u) },
  session: {
    defaultSession: {
      webRequest: { onHeadersReceived: (fn: typeof session.onHeadersReceived) => (session.onHeadersReceived = fn) },
      setPermissionRequestHandler: (fn: typeof session.permissionRequest) => (session.permissionRequest = fn),
      setPermissionCheckHandler: (fn: typeof session.permissionCheck) => (session.permissionCheck = fn),
    },
  },
  BrowserWindow: class {
    webContents = new FakeContents();
    constructor(opts: { webPreferences: Record<string, unknown> }) {
      constructed.push(opts);
      lastWindow = this;
    }
    once() {}
    loadFile(f: string) {
      loaded.push(f);
      return Promise.resolve();
    }
  },
}));

const { applySessionPolicy, createMainWindow, secureWebPreferences, isAppUrl, lockDownContents, openExternalSafely, CSP } = await import('../../../../main/electron/window');

const INDEX = '/app/dist/renderer/index.html';

function open(): FakeContents {
  createMainWindow('/app/dist');
  return lastWindow!.webContents;
}

describe('the Electron window', () => {
  beforeEach(() => openExternal.mockClear());

  it('isolates the renderer: context isolation, sandbox, no Node, web security on', () => {
    expect(secureWebPreferences('/p.cjs')).toEqual({
      preload: '/p.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
    });
  });

  it('creates the window with those preferences, the bundled preload and the built index', () => {
    open();
    const prefs = constructed.at(-1)!.webPreferences;
    expect(prefs).toEqual(secureWebPreferences('/app/dist/main/preload.cjs'));
    expect(loaded.at(-1)).toBe(INDEX);
  });

  it('prevents navigation to any foreign URL and lets the app reload its own page', () => {
    const wc = open();
    for (const url of ['https://evil.example/', 'http://plain.example/', 'file:///etc/passwd', 'file:///app/dist/renderer/other.html', 'javascript:alert(1)', 'data:text/html,x']) {
      const prevent = vi.fn();
      wc.listeners['will-navigate']({ preventDefault: prevent }, url);
      expect(prevent, url).toHaveBeenCalled();
    }
    for (const url of ['file:///app/dist/renderer/index.html', 'file:///app/dist/renderer/index.html#/diff?from=a&to=b']) {
      const prevent = vi.fn();
      wc.listeners['will-navigate']({ preventDefault: prevent }, url);
      expect(prevent, url).not.toHaveBeenCalled();
    }
    const redirect = vi.fn();
    wc.listeners['will-redirect']({ preventDefault: redirect }, 'https://evil.example/');
    expect(redirect).toHaveBeenCalled();
    const webview = vi.fn();
    wc.listeners['will-attach-webview']({ preventDefault: webview });
    expect(webview).toHaveBeenCalled();
  });

  it('opens a link outside the app only when it is https', () => {
    const wc = open();
    wc.listeners['will-navigate']({ preventDefault: vi.fn() }, 'https://github.com/coreos/fedora-coreos-config/pull/1');
    expect(openExternal).toHaveBeenCalledWith('https://github.com/coreos/fedora-coreos-config/pull/1');
    openExternal.mockClear();
    for (const url of ['http://plain.example/', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'https://user:pw@host.example/', 'not a url']) {
      wc.listeners['will-navigate']({ preventDefault: vi.fn() }, url);
      expect(openExternalSafely(url), url).toBe(false);
    }
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('denies every new window, handing only https links to the browser', () => {
    const wc = open();
    expect(wc.openHandler!({ url: 'https://bodhi.fedoraproject.org/updates/X' })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledWith('https://bodhi.fedoraproject.org/updates/X');
    for (const url of ['javascript:alert(1)', 'http://plain.example/', 'file:///app/dist/renderer/index.html', 'about:blank']) {
      expect(wc.openHandler!({ url }), url).toEqual({ action: 'deny' });
    }
    expect(openExternal).toHaveBeenCalledTimes(1);
  });

  it('locks a web contents down once however often it is asked', () => {
    const wc = new FakeContents();
    lockDownContents(wc as never, INDEX);
    lockDownContents(wc as never, INDEX);
    wc.listeners['will-navigate']({ preventDefault: vi.fn() }, 'https://example.org/');
    expect(openExternal).toHaveBeenCalledTimes(1);
  });

  it('knows its own page and nothing else', () => {
    expect(isAppUrl('file:///app/dist/renderer/index.html', INDEX)).toBe(true);
    expect(isAppUrl('file:///app/dist/renderer/index.html?x=1#/streams', INDEX)).toBe(true);
    expect(isAppUrl('file:///app/dist/renderer/../renderer/index.html', INDEX)).toBe(true);
    expect(isAppUrl('file:///app/dist/renderer/other.html', INDEX)).toBe(false);
    expect(isAppUrl('file://evil.example/app/dist/renderer/index.html', INDEX)).toBe(false);
    expect(isAppUrl('https://app/dist/renderer/index.html', INDEX)).toBe(false);
    expect(isAppUrl('garbage', INDEX)).toBe(false);
  });

  it('puts the strict CSP on every response and refuses permissions', () => {
    applySessionPolicy(INDEX);
    expect(CSP).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
    const cb = vi.fn();
    session.onHeadersReceived!({ url: 'file:///app/dist/renderer/index.html', responseHeaders: { 'content-security-policy': ["script-src 'unsafe-eval'"], 'X-Other': ['1'] } }, cb);
    expect(cb).toHaveBeenCalledWith({ responseHeaders: { 'X-Other': ['1'], 'Content-Security-Policy': [CSP] } });

    const granted = (permission: string, url: string) => {
      let answer: boolean | null = null;
      session.permissionRequest!(null, permission, (g) => (answer = g), { requestingUrl: url });
      return answer;
    };
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) expect(granted(p, `file://${INDEX}`), p).toBe(false);
    // Copy as Markdown: a sanitised clipboard write, from the app's own page only.
    expect(granted('clipboard-sanitized-write', `file://${INDEX}`)).toBe(true);
    expect(granted('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    expect(session.permissionCheck!(null, 'media', 'file:///', { requestingUrl: `file://${INDEX}` })).toBe(false);
    expect(session.permissionCheck!(null, 'clipboard-sanitized-write', 'file:///', { requestingUrl: `file://${INDEX}` })).toBe(true);
  });
});
