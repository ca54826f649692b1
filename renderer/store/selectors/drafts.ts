/** Named reads of the drafts slice (drafts: the list, previews, versions, identity, one draft's info, the build pool): components select through these, not inline. */
import type { Store } from '../types';

export const draftsSelectors = {
  drafts: (s: Store) => s.drafts,
  draftsError: (s: Store) => s.draftsError,
  previews: (s: Store) => s.previews,
  previewing: (s: Store) => s.previewing,
  previewError: (s: Store) => s.previewError,
  versions: (s: Store) => s.versions,
  versionsStatus: (s: Store) => s.versionsStatus,
  versionsKey: (s: Store) => s.versionsKey,
  identity: (s: Store) => s.identity,
  draftInfo: (s: Store) => s.draftInfo,
  draftInfoError: (s: Store) => s.draftInfoError,
  availability: (s: Store) => s.availability,
  pushedHere: (s: Store) => s.pushedHere,
  conflicted: (s: Store) => s.conflicted,
  versionsLoading: (s: Store) => s.versionsStatus === 'loading',
  /** True while `branch` has a conflict to resolve. */
  isConflicted: (branch: string) => (s: Store) => s.conflicted.has(branch),
  /** The build-pool check of one draft or preview, by its key. */
  availabilityOf: (key: string) => (s: Store) => s.availability[key],
};
