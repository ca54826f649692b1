/** The `--repo DIR` option every repo command takes, and opening the repo it names. */
import type { Command } from 'commander';
import { ConfigRepo } from '../services/review/config-repo';

export function withRepoOption(cmd: Command): Command {
  return cmd
    .option('--repo <dir>', 'local clone of the config repo (plain or bare)', '.')
    .option('--upstream <remote>', 'remote whose branches are the published streams', 'origin');
}

/**
 * Opens the repo named by `--repo`, runs `fn`, and closes it. Commands that write drafts first
 * finish or roll back what an earlier killed writer left (`repair`).
 */
export async function withRepo<T>(opts: { repo: string; upstream: string }, fn: (repo: ConfigRepo) => Promise<T>, how: { repair?: boolean } = {}): Promise<T> {
  const repo = await ConfigRepo.open(opts.repo, { upstream: opts.upstream });
  try {
    // Loaded only by the commands that write: reading commands start without isomorphic-git.
    if (how.repair) await new (await import('../services/drafts/store')).DraftStore(repo).repair();
    return await fn(repo);
  } finally {
    repo.close();
  }
}
