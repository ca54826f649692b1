/** Named reads of the builds slice (drafting from builds: the resolved updates and the reviewer advice): components select through these, not inline. */
import type { Store } from '../types';

export const buildsSelectors = {
  resolution: (s: Store) => s.resolution,
  advice: (s: Store) => s.advice,
};
