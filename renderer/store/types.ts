/** The store's shape: one zustand store made of typed slices. */
import type { StateCreator } from 'zustand';
import type { AdvisoriesSlice } from './advisories';
import type { BoardSlice } from './board';
import type { BuildsSlice } from './builds';
import type { CredentialsSlice } from './credentials';
import type { DiffSlice } from './diff';
import type { DraftsSlice } from './drafts';
import type { EditorSlice } from './editor';
import type { GraduationSlice } from './graduation';
import type { HistorySlice } from './history';
import type { PromotionSlice } from './promotion';
import type { RepoSlice } from './repo';
import type { SettingsSlice } from './settings';
import type { StreamsSlice } from './streams';
import type { UiSlice } from './ui';

export type Store = RepoSlice & StreamsSlice & DiffSlice & HistorySlice & DraftsSlice & GraduationSlice & BuildsSlice & SettingsSlice & UiSlice & EditorSlice & CredentialsSlice & AdvisoriesSlice & PromotionSlice & BoardSlice;

/**
 * Each slice's reset to what a freshly opened repo shows, called in this order when the repo
 * changes. A slice holding anything that belongs to one repo adds its reset here.
 */
export const REPO_RESETS = ['resetRepoData', 'resetStreams', 'resetDiff', 'resetHistory', 'resetDrafts', 'resetBuilds', 'resetEditor', 'resetGraduation', 'resetAdvisories', 'resetPromotion', 'resetBoard'] as const satisfies readonly (keyof Store)[];

/** A slice's creator: it sees (and may set) the whole store. */
export type Slice<T> = StateCreator<Store, [], [], T>;

/** The message of anything thrown, for inline display (the back end writes them for users). */
export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
