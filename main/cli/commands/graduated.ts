/** `lockstep graduated --stream S`: fast-tracks the stable update repos now carry. */
import type { Command } from 'commander';
import { draftGraduation, graduationReport } from '../../services/fedora/graduation';
import { formatTable, printJson, printLine, terminalText, writeOut } from '../output';
import { withRepo, withRepoOption } from '../repo-option';

const collect = (v: string, prev: string[]) => [...prev, v];

function age(iso: string): string {
  const h = (Date.now() - new Date(iso).getTime()) / 3_600_000;
  return h < 1 ? 'less than an hour old' : h < 48 ? `${Math.round(h)} hours old` : `${Math.round(h / 24)} days old`;
}

export function registerGraduated(program: Command): void {
  withRepoOption(program.command('graduated').description('list fast-tracks that have graduated (the stable update repos carry them)'))
    .requiredOption('--stream <stream>', 'the stream')
    .option('--repo-url <url>', 'an rpm-md repo to read ($releasever, $basearch expand; repeatable)', collect, [])
    .option('--offline', 'do not fetch: answer from the cache')
    .option('--draft', 'also draft the removal of the graduated ones')
    .option('--json', 'print JSON')
    .action(async (opts) => {
      await withRepo(opts, async (repo) => {
        const report = await graduationReport(repo, opts.stream, { urls: opts.repoUrl, offline: opts.offline });
        if (report.error) process.stderr.write(`lockstep: warning: could not read the repos (${terminalText(report.error)}); ${report.rows.some((r) => r.checked) ? 'answering from the cache' : 'no cache: unknown where the base lockfile cannot tell'}\n`);
        const draft = opts.draft ? await draftGraduation(repo, report) : null;
        if (opts.json) {
          printJson(report.rows.map(({ name, evr, status, source, checked, available }) => ({ name, evr, status, source, checked, available: available ?? null })));
        } else if (report.rows.length === 0) {
          printLine(`${opts.stream} has no fast-tracks.`);
        } else {
          printLine(formatTable([['PACKAGE', 'FAST-TRACK', 'STATUS', 'BECAUSE', 'AVAILABLE'], ...report.rows.map((r) => [r.name, r.evr, r.status, r.source ?? '-', r.available ?? '-'])]));
          const checked = report.rows.find((r) => r.checked)?.checked;
          if (checked) printLine(`\nRepo metadata ${report.online ? 'read just now' : `from the cache, ${age(checked)}`}.`);
        }
        if (opts.draft) {
          if (draft) writeOut(opts.json ? '' : `${draft.branch}\n`);
          else process.stderr.write('lockstep: nothing has graduated: no draft made\n');
          if (draft && opts.json) process.stderr.write(`lockstep: drafted ${draft.branch}\n`);
        }
      });
    });
}
