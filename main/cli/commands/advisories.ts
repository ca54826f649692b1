/**
 * `lockstep advisories` (the security updates each stream is missing) and `lockstep carries`
 * (whether each stream carries the fix of one update): SPEC §2.16, §4.
 */
import type { Command } from 'commander';
import { SEVERITIES } from '../../../shared/bodhi/advisories';
import { advisories, carries } from '../../services/fedora/advisories';
import { buildServices } from '../../services/drafts/from-builds';
import { SettingsStore } from '../../services/settings';
import { usageError } from '../errors';
import { formatTable, printJson, printLine, terminalText } from '../output';
import { withRepo, withRepoOption } from '../repo-option';

const collect = (v: string, prev: string[]) => [...prev, v];

/** How old an answer is, in words. */
export function age(iso: string, now = Date.now()): string {
  const h = (now - new Date(iso).getTime()) / 3_600_000;
  return h < 1 ? 'less than an hour old' : h < 48 ? `${Math.round(h)} hours old` : `${Math.round(h / 24)} days old`;
}

export function registerAdvisories(program: Command): void {
  withRepoOption(program.command('advisories').description('the security updates (Bodhi) each stream is missing'))
    .option('--stream <stream>', 'only this stream (repeatable; default every stream with a Fedora release)', collect, [])
    .option('--severity <level>', `only this severity (${SEVERITIES.join(', ')})`)
    .option('--offline', 'answer from the cache only')
    .option('--json', 'print JSON')
    .action(async (opts) => {
      if (opts.severity && !(SEVERITIES as readonly string[]).includes(opts.severity)) throw usageError(`--severity must be one of ${SEVERITIES.join(', ')}, not "${opts.severity}"`);
      const services = buildServices({ settings: new SettingsStore().read(), offline: opts.offline });
      const report = await withRepo(opts, (repo) => advisories(repo, { ...services.bodhi, streams: opts.stream, severity: opts.severity }));
      for (const s of report.streams) {
        if (s.error) process.stderr.write(`lockstep: warning: ${s.stream}: ${terminalText(s.error)}${s.complete ? '; answering from the cache' : ''}\n`);
      }
      if (report.fromCache && report.fetched) process.stderr.write(`lockstep: note: Bodhi's answers from the cache, ${age(report.fetched)} (${report.fetched})\n`);
      if (opts.json) {
        return printJson(report.rows.map((r) => ({ stream: r.stream, alias: r.alias, url: r.url, severity: r.severity, status: r.status, source: r.source, locked: r.locked, build: r.build, cves: r.cves, release: r.release, submitted: r.submitted })));
      }
      if (!report.rows.length) return printLine('No stream is missing a security update.');
      const t = (s: string) => terminalText(s);
      printLine(formatTable([['STREAM', 'SEVERITY', 'UPDATE', 'STATUS', 'SOURCE', 'LOCKED', 'BUILD', 'CVES'], ...report.rows.map((r) => [r.stream, t(r.severity), t(r.alias), t(r.status), r.source, r.locked, t(r.build), t(r.cves.join(' ') || '-')])]));
    });

  withRepoOption(program.command('carries').description("whether each stream carries the fix of a Bodhi update (its CVEs, on the stream's own release)").argument('<alias-or-url>'))
    .option('--stream <stream>', 'only this stream (repeatable)', collect, [])
    .option('--offline', 'answer from the cache only')
    .option('--no-cache', 'read the history without the on-disk index')
    .option('--json', 'print JSON')
    .action(async (id: string, opts) => {
      const services = buildServices({ settings: new SettingsStore().read(), offline: opts.offline });
      const report = await withRepo(opts, (repo) => carries(repo, id, { ...services.bodhi, streams: opts.stream, historyCache: opts.cache }));
      for (const w of report.warnings) process.stderr.write(`lockstep: warning: ${terminalText(w)}\n`);
      if (!report.cves.length) process.stderr.write(`lockstep: warning: ${terminalText(report.alias ?? id)} names no CVE in its bugs: no stream's release can have its fix\n`);
      if (opts.json) return printJson(report.rows.map((r) => ({ stream: r.stream, carried: r.carried, version: r.version, fix: r.fix, since: r.since, update: r.alias, release: r.release })));
      printLine(`${terminalText(report.alias ?? id)}: ${terminalText(report.cves.join(', ') || 'no CVE')} in ${report.sources.join(', ')}`);
      printLine(
        formatTable([
          ['STREAM', 'CARRIED', 'VERSION', 'FIX', 'UPDATE', 'SINCE'],
          ...report.rows.map((r) => [r.stream, r.carried === null ? 'n/a' : r.carried ? 'yes' : 'NO', r.version ?? '-', terminalText(r.fix ?? '-'), terminalText(r.alias ?? '-'), r.since?.slice(0, 12) ?? '-']),
        ]),
      );
    });
}
