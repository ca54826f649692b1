/** `lockstep history PACKAGE --stream REF`: every change of a package's effective version. */
import type { Command } from 'commander';
import { AppError } from '../../../shared/errors';
import { isPackageName } from '../../../shared/rpm/nevra';
import { HistoryIndex, type UnreadableCommit } from '../../services/history/history-index';
import { formatTable, printJsonPages, printLine } from '../output';
import { REPO_OPTIONS, withRepo } from '../repo-option';
import { commandOf, type FastVerb, type VerbOptions, type VerbSpec } from '../verb-spec';

/** A message on one line, without the control characters a file's text could carry to a terminal. */
const oneLine = (s: string): string => s.replace(/\s*\n\s*/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');

const HISTORY: VerbSpec = {
  name: 'history',
  description: "a package's effective version changes along a stream, newest first",
  args: ['<package>'],
  options: [
    ...REPO_OPTIONS,
    { flags: '--stream <ref>', description: 'stream name or any ref', required: true },
    { flags: '--arch <arch>', description: 'arch', default: 'x86_64' },
    { flags: '--json', description: 'print JSON' },
    { flags: '--no-cache', description: 'ignore and do not write the on-disk history index' },
  ],
};

interface HistoryOptions {
  repo: string;
  upstream: string;
  stream: string;
  arch: string;
  json?: boolean;
  cache: boolean;
}

/** A script's loop of `history` calls starts without Commander (verb-spec.ts). */
export const historyVerb: FastVerb = { spec: HISTORY, run: ([name], opts) => showHistory(name, opts as VerbOptions & HistoryOptions) };

export function registerHistory(program: Command): void {
  commandOf(program, HISTORY).action((name: string, opts: HistoryOptions) => showHistory(name, opts));
}

async function showHistory(name: string, opts: HistoryOptions): Promise<void> {
  // A name rpm cannot have was never in any lockfile: say so rather than print [].
  if (!isPackageName(name)) throw new AppError('bad-input', `"${name}" is not a package name: rpm names hold letters, digits and . _ + - only`, { package: name });
  // A malformed lock file in the stream's past costs that commit only (SPEC §6): one line each.
  const onUnreadable = (u: UnreadableCommit) => process.stderr.write(`lockstep: warning: ${u.file} at ${u.commit} cannot be read, the history leaves that commit out: ${oneLine(u.message)}\n`);
  const pages = await withRepo(opts, (repo) => new HistoryIndex(repo, { cache: opts.cache, onUnreadable }).packageHistoryPages(opts.stream, opts.arch, name));
  if (opts.json) {
    // Page by page: a long history is never whole in memory (history-index.ts).
    const json = function* () {
      for (const page of pages) yield page.map((e) => ({ commit: e.commit, date: e.date, evr: e.evr, arch: e.arch, subject: e.subject, author: e.author, override: e.override ?? null }));
    };
    printJsonPages(json());
    return;
  }
  const entries = [...pages].flat();
  if (entries.length === 0) return printLine(`${name}: never in ${opts.stream}'s ${opts.arch} lockfile`);
  printLine(
    formatTable([
      ['DATE', 'COMMIT', 'VERSION', 'OVERRIDE', 'SUBJECT'],
      ...entries.map((e) => [e.date.slice(0, 10), e.commit.slice(0, 12), e.evr ? `${e.evr}.${e.arch}` : '(absent)', e.override?.type ?? '', e.subject]),
    ]),
  );
}
