/** `lockstep history PACKAGE --stream REF`: every change of a package's effective version. */
import type { Command } from 'commander';
import { AppError } from '../../../shared/errors';
import { isPackageName } from '../../../shared/rpm/nevra';
import { HistoryIndex, type UnreadableCommit } from '../../services/history/history-index';
import { formatTable, printJson, printLine } from '../output';
import { withRepo, withRepoOption } from '../repo-option';

/** A message on one line, without the control characters a file's text could carry to a terminal. */
const oneLine = (s: string): string => s.replace(/\s*\n\s*/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');

export function registerHistory(program: Command): void {
  withRepoOption(program.command('history').description("a package's effective version changes along a stream, newest first").argument('<package>'))
    .requiredOption('--stream <ref>', 'stream name or any ref')
    .option('--arch <arch>', 'arch', 'x86_64')
    .option('--json', 'print JSON')
    .option('--no-cache', 'ignore and do not write the on-disk history index')
    .action(async (name: string, opts) => {
      // A name rpm cannot have was never in any lockfile: say so rather than print [].
      if (!isPackageName(name)) throw new AppError('bad-input', `"${name}" is not a package name: rpm names hold letters, digits and . _ + - only`, { package: name });
      // A malformed lock file in the stream's past costs that commit only (SPEC §6): one line each.
      const onUnreadable = (u: UnreadableCommit) => process.stderr.write(`lockstep: warning: ${u.file} at ${u.commit} cannot be read, the history leaves that commit out: ${oneLine(u.message)}\n`);
      const entries = await withRepo(opts, (repo) => new HistoryIndex(repo, { cache: opts.cache, onUnreadable }).packageHistory(opts.stream, opts.arch, name));
      if (opts.json) {
        printJson(entries.map((e) => ({ commit: e.commit, date: e.date, evr: e.evr, arch: e.arch, subject: e.subject, author: e.author, override: e.override ?? null })));
        return;
      }
      if (entries.length === 0) return printLine(`${name}: never in ${opts.stream}'s ${opts.arch} lockfile`);
      printLine(
        formatTable([
          ['DATE', 'COMMIT', 'VERSION', 'OVERRIDE', 'SUBJECT'],
          ...entries.map((e) => [e.date.slice(0, 10), e.commit.slice(0, 12), e.evr ? `${e.evr}.${e.arch}` : '(absent)', e.override?.type ?? '', e.subject]),
        ]),
      );
    });
}
