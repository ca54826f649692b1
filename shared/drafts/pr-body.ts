/**
 * The body of a draft's pull request (SPEC §2.9): the rationale (the commit message's body),
 * the draft's effect per arch as a Markdown table, and its links, so a reviewer sees what each
 * arch's compose will get without opening the diff.
 */
import type { ArchDiff } from '../lockfile/diff';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The PR body for a draft's commit message and its effect on the stream's effective locks. */
export function pullRequestBody(message: string, effect: readonly ArchDiff[]): string {
  const rationale = message.split('\n').slice(1).join('\n').trim();
  const parts: string[] = [];
  if (rationale) parts.push(rationale);
  const rows = effect.flatMap((d) => d.changes.map((c) => ({ arch: d.arch, c })));
  if (rows.length) {
    const table = ['| Arch | Package | From | To | Change |', '| --- | --- | --- | --- | --- |'];
    for (const { arch, c } of rows) {
      const v = (e: typeof c.from) => (e ? `\`${e.evr}.${e.arch}\`` : '—');
      table.push(`| ${cell(arch)} | ${cell(c.name)} | ${v(c.from)} | ${v(c.to)} | ${c.kind.replace('_', ' ')} |`);
    }
    parts.push(`### Effect on the effective locks\n\n${table.join('\n')}`);
  } else {
    parts.push('### Effect on the effective locks\n\nNo effective version changes on any arch.');
  }
  const links = [...new Set(message.match(/https?:\/\/[^\s)>\]]+/g) ?? [])];
  if (links.length && !links.every((l) => rationale.includes(l))) parts.push(`### Links\n\n${links.map((l) => `- ${l}`).join('\n')}`);
  return `${parts.join('\n\n')}\n`;
}
