/** What the benchmark runs in-process: Lockstep's own code paths, bundled by bench/run.mjs. */
import { cloneRepo } from '../main/git/clone';
import { ConfigRepo } from '../main/services/config-repo';
import { HistoryIndex } from '../main/services/history-index';
import { diffSnapshots } from '../shared/lockfile/diff';
import { startGitServer } from '../test/helpers/git-server';

export { cloneRepo, ConfigRepo, diffSnapshots, HistoryIndex, startGitServer };
