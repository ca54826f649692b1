/** The API contract over Electron IPC: one handler per call, senders checked, results wrapped. */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { API_CHANNELS, type ApiChannel } from '../../shared/api/contract';
import { AppError, toAppError } from '../../shared/errors';
import type { Result } from '../../shared/result';
import type { AppBackend } from '../services/app-api';

/** The IPC channel name of a contract call. */
export const ipcChannel = (c: ApiChannel) => `lockstep:${c}`;
export const IPC_EVENT = 'lockstep:event';

export function registerIpc(ipcMain: Pick<IpcMain, 'handle'>, backend: AppBackend, isTrustedSender: (e: IpcMainInvokeEvent) => boolean): void {
  for (const channel of API_CHANNELS) {
    ipcMain.handle(ipcChannel(channel), async (event, req: unknown): Promise<Result<unknown>> => {
      if (!isTrustedSender(event)) {
        return { ok: false, error: new AppError('bad-input', 'refused: the call did not come from the app window').toPlain() };
      }
      try {
        const handler = backend.handlers[channel] as (r: unknown) => Promise<unknown>;
        return { ok: true, value: (await handler(req)) ?? null };
      } catch (err) {
        return { ok: false, error: toAppError(err).toPlain() };
      }
    });
  }
}
