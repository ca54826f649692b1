/**
 * The app window, locked down: context isolation, a sandboxed renderer without Node, a strict
 * CSP, no navigation away from the app, no new windows, only https links opened outside, and
 * no permission granted to the page but writing plain text to the clipboard.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrowserWindow, session, shell, type WebContents, type WebPreferences } from 'electron';
import { contentSecurityPolicy } from '../../shared/api/csp';

/** The policy of the browser host minus its WebSocket: the app's own files and nothing else. */
export const CSP = contentSecurityPolicy();

/** The renderer's web preferences: nothing of Node reaches the page. */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
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
  };
}

/** True for the app's own page (any hash or query); every other URL is foreign. */
export function isAppUrl(url: string, indexFile: string): boolean {
  try {
    const u = new URL(url);
    if (u.protocol !== 'file:' || (u.host !== '' && u.host !== 'localhost')) return false;
    return path.resolve(fileURLToPath(u)) === path.resolve(indexFile);
  } catch {
    return false;
  }
}

/** Opens a link in the user's browser only when it is https; returns whether it did. */
export function openExternalSafely(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'https:' || u.username || u.password) return false;
  void shell.openExternal(u.href).catch(() => undefined);
  return true;
}

/** Only the clipboard write of "Copy as Markdown", and only from the app's own page. */
function permissionAllowed(permission: string, requestingUrl: string | undefined, indexFile: string): boolean {
  return permission === 'clipboard-sanitized-write' && requestingUrl !== undefined && isAppUrl(requestingUrl, indexFile);
}

/** Session-wide policy: the CSP on every response (file:// included) and permissions refused. */
export function applySessionPolicy(indexFile: string): void {
  const s = session.defaultSession;
  s.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...(details.responseHeaders ?? {}) };
    for (const k of Object.keys(headers)) if (k.toLowerCase() === 'content-security-policy') delete headers[k];
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [CSP] } });
  });
  s.setPermissionRequestHandler((_wc, permission, callback, details) => callback(permissionAllowed(permission, details.requestingUrl, indexFile)));
  s.setPermissionCheckHandler((_wc, permission, requestingOrigin, details) =>
    permissionAllowed(permission, details.requestingUrl ?? requestingOrigin, indexFile),
  );
}

const lockedDown = new WeakSet<WebContents>();

/** Navigation, new windows and webviews of one page: only the app's own index is ever loaded. Idempotent. */
export function lockDownContents(contents: WebContents, indexFile: string): void {
  if (lockedDown.has(contents)) return;
  lockedDown.add(contents);
  contents.on('will-navigate', (event, url) => {
    if (isAppUrl(url, indexFile)) return;
    event.preventDefault();
    // A plain link to an https page goes to the user's browser, never into the app window.
    openExternalSafely(url);
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, indexFile)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternalSafely(url);
    return { action: 'deny' };
  });
}

/** The main window, loading `<distDir>/renderer/index.html` with the preload `<distDir>/main/preload.cjs`. */
export function createMainWindow(distDir: string): BrowserWindow {
  const indexFile = path.join(distDir, 'renderer', 'index.html');
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    title: 'Lockstep',
    show: false,
    webPreferences: secureWebPreferences(path.join(distDir, 'main', 'preload.cjs')),
  });
  lockDownContents(win.webContents, indexFile);
  win.once('ready-to-show', () => win.show());
  void win.loadFile(indexFile);
  return win;
}
