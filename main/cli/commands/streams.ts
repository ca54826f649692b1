/** `lockstep streams`: every stream with head, counts, overrides and promotion lag. */
import type { Command } from 'commander';
import { streamsOverview } from '../../services/review/streams';
import { formatTable, printJson, printLine } from '../output';
import { withRepo, withRepoOption } from '../repo-option';

export function registerStreams(program: Command): void {
  withRepoOption(program.command('streams').description('list the streams (branches with lockfiles) and their state'))
    .option('--json', 'print JSON')
    .action(async (opts) => {
      const rows = await withRepo(opts, (repo) => streamsOverview(repo));
      if (opts.json) {
        printJson(rows);
        return;
      }
      if (rows.length === 0) {
        printLine('No streams: no branch holds a manifest-lock file.');
        return;
      }
      const table = [['STREAM', 'HEAD', 'DATE', 'PACKAGES', 'PINS', 'FAST-TRACKS', 'OTHER', 'BEHIND']];
      for (const s of rows) {
        const pkgs = Object.entries(s.arches)
          .map(([a, n]) => `${a}:${n}`)
          .join(' ');
        table.push([
          s.name,
          s.head.slice(0, 12),
          s.date.slice(0, 10),
          pkgs || '(overrides only)',
          String(s.overrides.pin),
          String(s.overrides['fast-track']),
          String(s.overrides.other),
          s.source ? (s.behind === null ? `? (${s.source})` : `${s.behind} (${s.source})`) : '-',
        ]);
      }
      printLine(formatTable(table));
    });
}
