/** The store's shape: one zustand store made of typed slices. */
import type { StateCreator } from 'zustand';
import type { BuildsSlice } from './builds';
import type { DiffSlice } from './diff';
import type { DraftsSlice } from './drafts';
import type { GraduationSlice } from './graduation';
import type { HistorySlice } from './history';
import type { RepoSlice } from './repo';
import type { SettingsSlice } from './settings';
import type { StreamsSlice } from './streams';
import type { UiSlice } from './ui';

export type Store = RepoSlice & StreamsSlice & DiffSlice & HistorySlice & DraftsSlice & GraduationSlice & BuildsSlice & SettingsSlice & UiSlice;

/** A slice's creator: it sees (and may set) the whole store. */
export type Slice<T> = StateCreator<Store, [], [], T>;

/** The message of anything thrown, for inline display (the back end writes them for users). */
export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
