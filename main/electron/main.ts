/** The Electron host: one window, the back end wired to IPC. Everything else lives in services. */
import path from 'node:path';
import { app, BrowserWindow, ipcMain } from 'electron';
import type { ApiEventName, ApiEvents } from '../../shared/api/contract';
import { createBackend } from '../services/app-api';
import { IPC_EVENT, registerIpc } from './ipc';
import { safeTokenStore } from './safe-token-store';
import { applySessionPolicy, createMainWindow, isAppUrl } from './window';

const distDir = path.resolve(__dirname, '..');
const indexFile = path.join(distDir, 'renderer', 'index.html');

if (!app.requestSingleInstanceLock()) app.quit();

let win: BrowserWindow | null = null;

app.whenReady().then(async () => {
  process.env.LOCKSTEP_DATA_DIR ??= app.getPath('userData');
  applySessionPolicy();
  const emit = <E extends ApiEventName>(event: E, payload: ApiEvents[E]) => win?.webContents.send(IPC_EVENT, { event, payload });
  const backend = createBackend({
    host: 'electron',
    emit,
    dataDir: process.env.LOCKSTEP_DATA_DIR,
    initialRepo: process.env.LOCKSTEP_REPO,
    tokenStore: safeTokenStore(path.join(process.env.LOCKSTEP_DATA_DIR!, 'tokens.bin')),
  });
  registerIpc(ipcMain, backend, (event) => !!event.senderFrame && isAppUrl(event.senderFrame.url, indexFile));
  await backend.start().catch((err) => console.error(`lockstep: ${(err as Error).message}`));
  win = createMainWindow(distDir);
  app.on('second-instance', () => win?.focus());
  app.on('window-all-closed', () => {
    backend.dispose();
    app.quit();
  });
});
