/** The per-stream rules of a promotion told in words, for the promotion view and the CLI. */
import { BUILD_ARGS_FILE, DENYLIST_FILE, MANIFEST_FILE } from './rules';
import type { KeptRule } from './tree';

/** One or two sentences: what the rule keeps, and what it did on this promotion. */
export function explainRule(rule: KeptRule, source: string, target: string): string {
  switch (rule.kind) {
    case 'manifest':
      return rule.status === 'absent'
        ? `Neither stream has ${MANIFEST_FILE}.`
        : `${MANIFEST_FILE} names the stream and its repos: ${target} keeps its own${rule.status === 'same' ? ' (the same as ' + source + "'s here)" : `, not ${source}'s`}.`;
    case 'build-args': {
      const what = `STREAM= and DESCRIPTION= of ${BUILD_ARGS_FILE} name the stream: ${target} keeps its own lines, the rest (VERSION=, BUILDER_IMG=…) comes from ${source}.`;
      if (rule.status === 'absent') return `Neither stream has ${BUILD_ARGS_FILE} (a repo before 2026): nothing to keep.`;
      if (rule.status === 'no-target-file') return `${target} has no ${BUILD_ARGS_FILE} yet: ${source}'s comes as it is; check its STREAM= and DESCRIPTION= lines.`;
      if (rule.status === 'no-source-file') return `${source} has no ${BUILD_ARGS_FILE}: the promotion removes ${target}'s, as the source's tree has none.`;
      const n = rule.lines.filter((l) => l.source !== l.target).length;
      // sed reads & in the replacement as the matched line: said, since the result surprises.
      const amp = rule.lines.filter((l) => l.own !== l.target).map((l) => ` The & in ${target}'s ${l.key}= line stands for ${source}'s line in the script's sed, so it reads ${l.target}.`);
      return (rule.status === 'same' ? `${what} They are the same on both here.` : `${what} ${n} ${n === 1 ? 'line' : 'lines'} kept.`) + amp.join('');
    }
    case 'denylist': {
      const what = `Snoozed and warn-only tests of ${DENYLIST_FILE} are commented out "(disabled on promotion)", so a production stream runs every test.`;
      if (rule.status === 'absent') return `${source} has no ${DENYLIST_FILE}.`;
      const n = rule.lines.length;
      return rule.status === 'same' ? `${what} ${source}'s denylist has no active snooze: or warn: line.` : `${what} ${n} ${n === 1 ? 'line' : 'lines'} disabled.`;
    }
  }
}
