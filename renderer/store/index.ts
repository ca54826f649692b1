/**
 * The app's one store, made of typed slices (repo, streams, diff, history, drafts, ui); actions
 * live beside their state and do the async work (await, then set). Components select single
 * values, or several with `useShallow`.
 */
import { create } from 'zustand';
import { createAdvisoriesSlice } from './advisories';
import { createBoardSlice } from './board';
import { createBuildsSlice } from './builds';
import { createCredentialsSlice } from './credentials';
import { createDiffSlice } from './diff';
import { createDraftsSlice } from './drafts';
import { createEditorSlice } from './editor';
import { createGraduationSlice } from './graduation';
import { createHistorySlice } from './history';
import { createPromotionSlice } from './promotion';
import { createRepoSlice } from './repo';
import { createSettingsSlice } from './settings';
import { createStreamsSlice } from './streams';
import type { Store } from './types';
import { createUiSlice } from './ui';

export const useStore = create<Store>()((...a) => ({
  ...createRepoSlice(...a),
  ...createStreamsSlice(...a),
  ...createDiffSlice(...a),
  ...createHistorySlice(...a),
  ...createDraftsSlice(...a),
  ...createGraduationSlice(...a),
  ...createBuildsSlice(...a),
  ...createSettingsSlice(...a),
  ...createUiSlice(...a),
  ...createEditorSlice(...a),
  ...createCredentialsSlice(...a),
  ...createAdvisoriesSlice(...a),
  ...createPromotionSlice(...a),
  ...createBoardSlice(...a),
}));

export { REPO_RESETS, type Store } from './types';
export { parseHash, routeHash, type Route, type RouteParams, type View } from './route';
