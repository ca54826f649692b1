/**
 * The back end of the app: the API contract's handlers, by area, over one session. Hosts only
 * carry calls and events (through `dispatch`); everything the UI can do is here.
 */
import type { ApiHandlers } from '../../shared/api/contract';
import { advisoryHandlers } from './handlers/advisories';
import { draftHandlers } from './handlers/drafts';
import { promotionHandlers } from './handlers/promotion';
import { repoHandlers } from './handlers/repo';
import { reviewHandlers } from './handlers/review';
import { Session, type AppContext } from './session';
import { settingsHandlers } from './handlers/settings';
import { updateHandlers } from './handlers/updates';

export type { AppContext };
export { cloneFolderName } from './handlers/repo';

export interface AppBackend {
  handlers: ApiHandlers;
  /** Opens `initialRepo` if given; errors are reported but do not stop the host. */
  start(): Promise<void>;
  dispose(): void;
}

export function createBackend(ctx: AppContext): AppBackend {
  const session = new Session(ctx);
  const handlers = { ...repoHandlers(session), ...reviewHandlers(session), ...draftHandlers(session), ...promotionHandlers(session), ...updateHandlers(session), ...advisoryHandlers(session), ...settingsHandlers(session) } satisfies ApiHandlers;
  return {
    handlers,
    async start() {
      if (ctx.initialRepo) return void (await session.open(ctx.initialRepo));
      // A maintainer lives in one repo: the last one opened comes back at start, when it is still there.
      const last = session.recent()[0];
      if (last && ctx.reopenLast !== false) await session.open(last.dir).catch(() => undefined);
    },
    dispose: () => session.dispose(),
  };
}
