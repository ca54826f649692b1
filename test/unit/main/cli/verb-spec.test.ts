/**
 * The fast parse (no Commander) gives a verb exactly what Commander gives it, or steps aside:
 * every argv below is parsed both ways and compared, including the ones the fast parse must
 * leave to Commander (which then reports them).
 */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { historyVerb } from '../../../../main/cli/commands/history';
import { commandOf, fastParse, type VerbSpec } from '../../../../main/cli/verb-spec';

/** What Commander hands the action, or null when it refuses the argv (a usage error, help). */
function viaCommander(spec: VerbSpec, argv: string[]): { args: string[]; opts: Record<string, unknown> } | null {
  const program = new Command('lockstep').exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  let got: { args: string[]; opts: Record<string, unknown> } | null = null;
  const cmd = commandOf(program, spec).action((...a: unknown[]) => {
    got = { args: a.slice(0, spec.args.length) as string[], opts: { ...(a[spec.args.length] as Record<string, unknown>) } };
  });
  cmd.exitOverride();
  try {
    program.parse(argv, { from: 'user' });
  } catch {
    return null;
  }
  return got;
}

const ARGVS: string[][] = [
  ['history', 'kernel', '--stream', 'testing-devel'],
  ['history', 'kernel', '--stream=stable', '--json'],
  ['history', '--stream', 'next', 'kernel', '--arch', 'aarch64', '--no-cache'],
  ['history', 'kernel', '--stream', 'a', '--stream', 'b'],
  ['history', 'kernel', '--stream', 's', '--repo', '/r', '--upstream', 'up'],
  ['history', 'kernel', '--stream', 's', '--', 'extra'],
  ['history', '--stream', 's', '--', '--kernel'],
  // Left to Commander: missing required option, unknown option, help, wrong counts, a value for a flag.
  ['history', 'kernel'],
  ['history', 'kernel', '--stream'],
  ['history', 'kernel', '--stream', 's', '--bogus'],
  ['history', 'kernel', '--stream', 's', '--help'],
  ['history', '--stream', 's'],
  ['history', 'a', 'b', '--stream', 's'],
  ['history', 'kernel', '--stream', 's', '--json=yes'],
  ['history', 'kernel', '--stream', 's', '-j'],
];

describe('the fast parse of a verb', () => {
  it.each(ARGVS.map((a) => [a.join(' '), a]))('%s: what Commander gives, or left to Commander', (_, argv) => {
    const spec = historyVerb.spec;
    const fast = fastParse(spec, argv as string[]);
    const slow = viaCommander(spec, argv as string[]);
    if (fast === null) return;
    // Whatever the fast parse takes, Commander takes too, with the same arguments and options.
    expect(slow).not.toBeNull();
    expect(fast).toEqual(slow);
  });

  it('takes the clean calls scripts make, so they skip Commander', () => {
    for (const argv of ARGVS.slice(0, 5)) expect(fastParse(historyVerb.spec, argv), argv.join(' ')).not.toBeNull();
  });

  it('leaves options before the verb to Commander, which refuses them', () => {
    expect(fastParse(historyVerb.spec, ['--repo', '/r', 'history', 'kernel', '--stream', 's'])).toBeNull();
  });
});
