/** Named reads of the repo slice (the open repo: its info, the clone/fetch in progress, the index, refs, the data version): components select through these, not inline. */
import type { Store } from '../types';

export const repoSelectors = {
  info: (s: Store) => s.info,
  repo: (s: Store) => s.repo,
  repoLoaded: (s: Store) => s.repoLoaded,
  startError: (s: Store) => s.startError,
  recent: (s: Store) => s.recent,
  welcomeError: (s: Store) => s.welcomeError,
  operation: (s: Store) => s.operation,
  progress: (s: Store) => s.progress,
  indexProgress: (s: Store) => s.indexProgress,
  writerWait: (s: Store) => s.writerWait,
  fetchResult: (s: Store) => s.fetchResult,
  fetchError: (s: Store) => s.fetchError,
  dataVersion: (s: Store) => s.dataVersion,
  refs: (s: Store) => s.refs,
  indexing: (s: Store) => s.indexProgress !== null,
  dataDir: (s: Store) => s.info?.dataDir,
  /** The open repo's stream names, in stream order. */
  streamNames: (s: Store) => s.repo?.streams,
};
