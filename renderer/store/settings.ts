/** Settings: what the settings screen edits, and hide/show of streams from the streams view. */
import type { GithubTokenStatus, SettingsPatch, SettingsView } from '../../shared/api/settings-types';
import { call } from '../api';
import { errorText, type Slice } from './types';
import type { DeepReadonly } from '../../shared/readonly';

export interface SettingsSlice {
  settings: DeepReadonly<SettingsView> | null;
  settingsError: string | null;
  loadSettings(): Promise<void>;
  /** Saves a change; resolves to an error text, or null. Streams reload, since hiding or the upstream changes them. */
  saveSettings(patch: SettingsPatch): Promise<string | null>;
  /** Hides a branch from the streams (or shows it again). */
  setStreamHidden(name: string, hidden: boolean): Promise<string | null>;
  /** Where the GitHub token in use comes from (the token never reaches the UI). */
  githubToken: GithubTokenStatus | null;
  loadGithubToken(): Promise<void>;
  /** Keeps a token in the host's store, or forgets it (empty); resolves to an error text, or null. */
  setGithubToken(token: string): Promise<string | null>;
}

export const createSettingsSlice: Slice<SettingsSlice> = (set, get) => ({
  settings: null,
  settingsError: null,
  async loadSettings() {
    try {
      set({ settings: await call('settings:get'), settingsError: null });
    } catch (e) {
      set({ settingsError: errorText(e) });
    }
  },
  async saveSettings(patch) {
    try {
      set({ settings: await call('settings:set', patch), settingsError: null });
      if (get().repo) void get().loadStreams();
      return null;
    } catch (e) {
      return errorText(e);
    }
  },
  githubToken: null,
  async loadGithubToken() {
    try {
      set({ githubToken: await call('forge:tokenStatus') });
    } catch (e) {
      set({ settingsError: errorText(e) });
    }
  },
  async setGithubToken(token) {
    try {
      set({ githubToken: await call('forge:setToken', { token }) });
      return null;
    } catch (e) {
      return errorText(e);
    }
  },
  async setStreamHidden(name, hidden) {
    if (!get().settings) await get().loadSettings();
    const cur = get().settings?.streams ?? { add: [], hide: [] };
    const hide = hidden ? [...new Set([...cur.hide, name])] : cur.hide.filter((n) => n !== name);
    return get().saveSettings({ streams: { add: [...cur.add], hide } });
  },
});
