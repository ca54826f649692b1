/**
 * The app window, locked down: context isolation, a sandboxed renderer without Node, a strict
 * CSP, no navigation away from the app, no new windows, and only https links opened outside.
 */
import path from 'node:path';
import { BrowserWindow, session, shell, type WebPreferences } from 'electron';
import { contentSecurityPolicy } from '../../shared/api/csp';

export const CSP = contentSecurityPolicy();

/** The renderer's web preferences: nothing of Node reaches the page. */
export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  };
}

/** True for the app's own page; every other URL is foreign. */
export function isAppUrl(url: string, indexFile: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'file:' && path.resolve(decodeURIComponent(u.pathname)) === path.resolve(indexFile);
  } catch {
    return false;
  }
}

/** Opens a link outside the app only when it is https. */
export function openExternalSafely(url: string): boolean {
  try {
    if (new URL(url).protocol !== 'https:') return false;
  } catch {
    return false;
  }
  void shell.openExternal(url);
  return true;
}

export function applySessionPolicy(): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
}

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
  win.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, indexFile)) {
      event.preventDefault();
      openExternalSafely(url);
    }
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    openExternalSafely(url);
    return { action: 'deny' };
  });
  win.once('ready-to-show', () => win.show());
  void win.loadFile(indexFile);
  return win;
}
