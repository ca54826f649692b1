/** Named reads of the settings slice (settings): components select through these, not inline. */
import type { Store } from '../types';

export const settingsSelectors = {
  settings: (s: Store) => s.settings,
  settingsError: (s: Store) => s.settingsError,
  githubToken: (s: Store) => s.githubToken,
};
