/** The fake back end the mocked `renderer/api` answers from; each test sets `fake.backend`. */
import type { FakeBackend } from './fake-backend';

// On globalThis: the store is re-imported for each test (vi.resetModules), and this module with it.
const holder = globalThis as { lockstepFakeBackend?: { backend: FakeBackend | null } };
export const fake = (holder.lockstepFakeBackend ??= { backend: null });

/** The mocked module: `call` goes to the current fake back end; events never fire. */
export const mockApi = () => ({
  call: (channel: string, req?: unknown) => {
    if (!fake.backend) throw new Error('no fake back end');
    return fake.backend.call(channel as never, req);
  },
  on: () => () => undefined,
  onConnection: () => () => undefined,
  isElectron: false,
});
