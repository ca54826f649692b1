/** What the benchmark runs in-process: Lockstep's own code paths, bundled by bench/run.mjs. */
import { cloneRepo } from '../main/git/clone';
import { fetchAll } from '../main/git/fetch';
import { ConfigRepo } from '../main/services/config-repo';
import { DraftStore } from '../main/services/drafts';
import { HistoryIndex } from '../main/services/history-index';
import { buildAllIndexes } from '../main/services/history-worker';
import { diffSnapshots } from '../shared/lockfile/diff';
import { startGitServer } from '../test/helpers/git-server';

export { buildAllIndexes, cloneRepo, ConfigRepo, diffSnapshots, DraftStore, fetchAll, HistoryIndex, startGitServer };
