/**
 * The API contract over Electron IPC: one `ipcMain.handle` per call, the sender checked on every
 * call, every answer a Result (a handler never throws across IPC: Electron would put the whole
 * error, stack included, in the renderer's console).
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { API_CHANNELS } from '../../shared/api/contract';
import { IPC_EVENT, ipcChannel } from '../../shared/api/bridge';
import { AppError } from '../../shared/errors';
import { dispatch } from '../app/dispatch';
import type { Result } from '../../shared/result';
import type { AppBackend } from '../app/backend';

export { ipcChannel, IPC_EVENT };

/** Sender check for `registerIpc`: the main frame of a page whose URL is the app's own. */
export function trustedSenderCheck(isAppUrl: (url: string) => boolean): (event: IpcMainInvokeEvent) => boolean {
  return (event) => {
    const frame = event.senderFrame;
    return !!frame && frame.parent === null && isAppUrl(frame.url);
  };
}

/** Registers every call of the contract; untrusted senders get an error Result and reach nothing. */
export function registerIpc(ipcMain: Pick<IpcMain, 'handle'>, backend: AppBackend, isTrustedSender: (e: IpcMainInvokeEvent) => boolean): void {
  for (const channel of API_CHANNELS) {
    ipcMain.handle(ipcChannel(channel), async (event, req: unknown): Promise<Result<unknown>> => {
      let trusted = false;
      try {
        trusted = isTrustedSender(event);
      } catch {
        trusted = false;
      }
      if (!trusted) {
        return { ok: false, error: new AppError('bad-input', `refused ${channel}: the call did not come from the app window`).toPlain() };
      }
      // code, message and data only: a stack never reaches the renderer, nor a URL's credentials.
      return dispatch(backend.handlers, channel, req);
    });
  }
}
