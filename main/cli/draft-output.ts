/** What `pin`, `unpin` and `pin --update/--srpm` print about a prepared draft: warnings, the dry run, package maps. */
import type { AdviceFinding } from '../../shared/bodhi/advice/rule';
import { diffToJson } from '../../shared/lockfile/diff';
import { copyRecord, hasName } from '../../shared/records';
import { unifiedDiff } from '../../shared/text/line-diff';
import type { PreparedDraft } from '../services/drafts/store';
import { printJson, printLine, writeOut } from './output';

export function warn(p: PreparedDraft): void {
  for (const f of p.findings.filter((x) => x.severity === 'warning')) process.stderr.write(`lockstep: warning: ${f.message}\n`);
  for (const n of p.plan.notes) process.stderr.write(`lockstep: note: ${n}\n`);
}

/** The advice rules' findings on stderr, one line each: a warning is a `notice`, a proposal says which `--stream` to add. */
export function printAdvice(findings: readonly AdviceFinding[]): void {
  for (const f of findings) {
    const add = f.addStream ? ` (add --stream ${f.addStream})` : '';
    process.stderr.write(`lockstep: ${f.severity === 'warning' ? 'notice' : 'note'}: ${f.message}${add}\n`);
  }
}

/** The `--dry-run --json` object of one prepared draft. */
export function dryRunJson(p: PreparedDraft) {
  return {
    branch: null,
    commit: null,
    base: p.base,
    files: Object.keys(p.texts),
    packages: packagesByName(p.plan.packages, p.plan.perArch),
    per_arch: p.plan.perArch,
    message: p.message,
    effect: diffToJson(p.effect),
    findings: p.findings,
  };
}

export function printDryRun(p: PreparedDraft, json: boolean): void {
  if (json) {
    printJson(dryRunJson(p));
    return;
  }
  printLine(`Draft on ${p.stream} at ${p.base.slice(0, 12)} (dry run: nothing written)`);
  printLine('');
  for (const line of p.message.replace(/\n$/, '').split('\n')) printLine(`    ${line}`);
  printLine('');
  for (const [file, [before, after]] of Object.entries(p.texts)) writeOut(unifiedDiff(file, before, after));
  printLine('');
  printLine('Effect on the effective locks:');
  if (p.effect.every((d) => d.changes.length === 0)) printLine('  (none: no effective version changes)');
  for (const d of p.effect) {
    for (const c of d.changes) printLine(`  ${d.arch}: ${c.name} ${c.from?.evr ?? '-'} -> ${c.to?.evr ?? '-'} (${c.kind.replace('_', ' ')})`);
  }
}

/** `{name: evr or evra}`: all-arch entries as written, per-arch ones by their first arch's evra. */
export function packagesByName(pkgs: Record<string, string>, perArch: Record<string, Record<string, string>> = {}): Record<string, string> {
  const out = copyRecord(pkgs);
  for (const [name, per] of Object.entries(perArch)) if (!hasName(out, name)) out[name] = Object.values(per)[0];
  return out;
}
