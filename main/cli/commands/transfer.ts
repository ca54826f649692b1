/** `lockstep clone URL DIR` and `lockstep fetch`: the network half, progress on stderr. */
import path from 'node:path';
import type { Command } from 'commander';
import { AppError, ioErrorOf } from '../../../shared/errors';
import { cloneRepo } from '../../git/transport/clone';
import { fileTokenStore, gitCredentialProvider } from '../../git/transport/credentials';
import { fetchAll } from '../../git/transport/fetch';
import { DraftStore } from '../../services/drafts/store';
import { HistoryIndex } from '../../services/history/history-index';
import { dataDir } from '../../services/settings';
import { listStreams } from '../../services/review/streams';
import { printJson, printLine } from '../output';
import { stderrProgress } from '../progress';
import { withRepo, withRepoOption } from '../repo-option';

const credentials = () => gitCredentialProvider(fileTokenStore(path.join(dataDir(), 'tokens.json')));

/** Ctrl-C cancels the transfer (nothing is left half-written), then exits. */
function cancelOnSigint(): { signal: AbortSignal; dispose: () => void } {
  const ac = new AbortController();
  const on = () => ac.abort();
  process.once('SIGINT', on);
  return { signal: ac.signal, dispose: () => process.off('SIGINT', on) };
}

export function registerTransfer(program: Command): void {
  program
    .command('clone')
    .description('clone a config repo (every stream branch) into DIR, as a bare repo')
    .argument('<url>', "the repository's https:// URL")
    .argument('<dir>', 'the destination folder (new or empty)')
    .option('--progress', 'show progress on stderr even when it is not a terminal')
    .action(async (url: string, dir: string, opts: { progress?: boolean }) => {
      const progress = stderrProgress(!!opts.progress);
      const cancel = cancelOnSigint();
      try {
        await cloneRepo(url, dir, { onProgress: progress.onProgress, signal: cancel.signal, credentials: credentials() });
      } finally {
        progress.stop();
        cancel.dispose();
      }
      printLine(path.resolve(dir));
    });

  withRepoOption(program.command('fetch').description('fetch every stream; prints the streams that moved and the drafts that became stale'))
    .option('--json', 'print JSON')
    .option('--progress', 'show progress on stderr even when it is not a terminal')
    .action(async (opts) => {
      const progress = stderrProgress(!!opts.progress);
      const cancel = cancelOnSigint();
      const out = await withRepo(opts, async (repo) => {
        const store = new DraftStore(repo);
        const wasStale = new Map((await store.list()).map((d) => [d.branch, d.stale]));
        let moved;
        try {
          moved = await fetchAll(repo.gitdir, { remote: repo.upstream, onProgress: progress.onProgress, signal: cancel.signal, credentials: credentials() });
        } finally {
          progress.stop();
          cancel.dispose();
        }
        await repo.refresh();
        const staleDrafts = (await store.list()).filter((d) => d.stale && wasStale.get(d.branch) === false).map((d) => d.branch);
        // The history index extends with the new commits only.
        // One that cannot (another writer holds the lock) is built by the next query instead; a
        // disk that cannot take it is said, after what was fetched.
        const index = new HistoryIndex(repo);
        let full: AppError | null = null;
        for (const s of await listStreams(repo)) {
          if (moved.some((m) => m.name === s.name)) {
            await index.update(s.name).catch((err: unknown) => {
              full ??= err instanceof AppError ? (err.code === 'io' ? err : null) : ioErrorOf(err);
            });
          }
        }
        return { moved, staleDrafts, full: full as AppError | null };
      });
      if (opts.json) printJson({ updated: out.moved, stale_drafts: out.staleDrafts });
      else {
        if (out.moved.length === 0) printLine('Up to date.');
        for (const m of out.moved) printLine(`${m.name}: ${m.from ? m.from.slice(0, 12) : '(new)'} -> ${m.to.slice(0, 12)}`);
        for (const d of out.staleDrafts) printLine(`stale: ${d} (lockstep rebase ${d})`);
      }
      if (out.full) throw new AppError('io', `fetched, but the history index was not extended: ${out.full.message}`, out.full.data);
    });
}
