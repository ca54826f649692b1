/** The `--repo DIR` option every repo command takes, and opening the repo it names. */
import type { Command } from 'commander';
import { ConfigRepo } from '../services/config-repo';

export function withRepoOption(cmd: Command): Command {
  return cmd
    .option('--repo <dir>', 'local clone of the config repo (plain or bare)', '.')
    .option('--upstream <remote>', 'remote whose branches are the published streams', 'origin');
}

/** Opens the repo named by `--repo`, runs `fn`, and closes it. */
export async function withRepo<T>(opts: { repo: string; upstream: string }, fn: (repo: ConfigRepo) => Promise<T>): Promise<T> {
  const repo = await ConfigRepo.open(opts.repo, { upstream: opts.upstream });
  try {
    return await fn(repo);
  } finally {
    repo.close();
  }
}
