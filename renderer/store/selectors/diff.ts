/** Named reads of the diff slice (the diff screen: the compared lockfiles, other files, the export notice): components select through these, not inline. */
import type { Store } from '../types';

export const diffSelectors = {
  diff: (s: Store) => s.diff,
  diffQuery: (s: Store) => s.diffQuery,
  diffLoading: (s: Store) => s.diffLoading,
  diffError: (s: Store) => s.diffError,
  lastDiffParams: (s: Store) => s.lastDiffParams,
  exportNotice: (s: Store) => s.exportNotice,
  otherFiles: (s: Store) => s.otherFiles,
  otherFilesQuery: (s: Store) => s.otherFilesQuery,
  otherFilesError: (s: Store) => s.otherFilesError,
  dismissExportNotice: (s: Store) => s.dismissExportNotice,
};
