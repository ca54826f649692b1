/** Named reads of the advisories slice (the advisories screen: Bodhi security updates per stream, and "which streams carry this?"): components select through these, not inline. */
import type { Store } from '../types';

export const advisoriesSelectors = {
  advisories: (s: Store) => s.advisories,
  advisoriesBusy: (s: Store) => s.advisoriesBusy,
  advisoriesError: (s: Store) => s.advisoriesError,
  carries: (s: Store) => s.carries,
  carriesBusy: (s: Store) => s.carriesBusy,
  carriesError: (s: Store) => s.carriesError,
  /** One stream's advisories, if loaded. */
  streamEntry: (stream: string) => (s: Store) => s.advisories?.streams.find((x) => x.stream === stream),
};
