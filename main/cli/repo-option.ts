/** The `--repo DIR` option every repo command takes, and opening the repo it names. */
import type { Command } from 'commander';
import { ConfigRepo } from '../services/review/config-repo';
import type { OptionSpec } from './verb-spec';

/** `--repo` and `--upstream`, as data for the verbs described by a spec. */
export const REPO_OPTIONS: readonly OptionSpec[] = [
  { flags: '--repo <dir>', description: 'local clone of the config repo (plain or bare)', default: '.' },
  { flags: '--upstream <remote>', description: 'remote whose branches are the published streams', default: 'origin' },
];

export function withRepoOption(cmd: Command): Command {
  for (const o of REPO_OPTIONS) cmd.option(o.flags, o.description, o.default);
  return cmd;
}

/**
 * Opens the repo named by `--repo`, runs `fn`, and closes it. Commands that write drafts pass
 * `before`: `repairDrafts` (drafts-repair.ts), kept out of this module so that the reading
 * commands' bundles hold none of the drafts' code (a third of a warm `history` bundle was).
 */
export async function withRepo<T>(opts: { repo: string; upstream: string }, fn: (repo: ConfigRepo) => Promise<T>, before?: (repo: ConfigRepo) => Promise<void>): Promise<T> {
  const repo = await ConfigRepo.open(opts.repo, { upstream: opts.upstream });
  try {
    if (before) await before(repo);
    return await fn(repo);
  } finally {
    repo.close();
  }
}
