/** What the benchmark runs in-process: Lockstep's own code paths, bundled by bench/run.mjs. */
import { cloneRepo } from '../main/git/transport/clone';
import { fetchAll } from '../main/git/transport/fetch';
import { ConfigRepo } from '../main/services/review/config-repo';
import { DraftStore } from '../main/services/drafts/store';
import { HistoryIndex } from '../main/services/history/history-index';
import { buildAllIndexes } from '../main/services/history/worker';
import { diffSnapshots } from '../shared/lockfile/diff';
import { startGitServer } from '../test/helpers/git-server';

export { buildAllIndexes, cloneRepo, ConfigRepo, diffSnapshots, DraftStore, fetchAll, HistoryIndex, startGitServer };
