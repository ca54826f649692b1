/**
 * The Electron host: one window, the back end wired to IPC. Everything else lives in services.
 * Data (clones, settings, caches) goes to the same folder as the CLI's and the browser host's
 * (`LOCKSTEP_DATA_DIR`, else the per-OS data folder), so each sees the others' repos and drafts.
 */
import path from 'node:path';
import { app, BrowserWindow, ipcMain } from 'electron';
import type { EmitEvent } from '../../shared/api/contract';
import { createBackend, type AppBackend } from '../app/backend';
import { dataDir } from '../services/settings';
import { IPC_EVENT, registerIpc, trustedSenderCheck } from './ipc';
import { safeTokenStore } from './safe-token-store';
import { applySessionPolicy, createMainWindow, isAppUrl, lockDownContents } from './window';

// dist/main/electron.cjs -> dist/
const distDir = path.resolve(__dirname, '..');
const indexFile = path.join(distDir, 'renderer', 'index.html');

// Every renderer sandboxed, whatever a window asks for.
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let win: BrowserWindow | null = null;
  let backend: AppBackend | null = null;

  app.on('second-instance', () => {
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });

  // Any web contents created later (there should be none) gets the same locks as the window.
  app.on('web-contents-created', (_e, contents) => lockDownContents(contents, indexFile));

  const emit: EmitEvent = (event, payload) => {
    if (win && !win.isDestroyed()) win.webContents.send(IPC_EVENT, { event, payload });
  };

  app.whenReady().then(async () => {
    const dir = dataDir();
    applySessionPolicy(indexFile);
    backend = createBackend({
      host: 'electron',
      emit,
      dataDir: dir,
      initialRepo: process.env.LOCKSTEP_REPO || undefined,
      tokenStore: safeTokenStore(path.join(dir, 'tokens.bin')),
      tokenStoreKind: 'os',
    });
    registerIpc(ipcMain, backend, trustedSenderCheck((url) => isAppUrl(url, indexFile)));
    // A repo that cannot be opened is reported; the window opens on the welcome screen.
    await backend.start().catch((err: Error) => console.error(`lockstep: ${err.message}`));
    win = createMainWindow(distDir);
    win.on('closed', () => (win = null));
  }).catch((err: Error) => {
    console.error(`lockstep: could not start: ${err.message}`);
    app.exit(1);
  });

  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => {
    backend?.dispose();
    backend = null;
  });
}
