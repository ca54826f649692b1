/**
 * A verb's arguments and options as data, so one description serves both ways a verb is parsed:
 * Commander (help, usage errors, every verb) and, for the verbs scripts call in loops, Node's own
 * `util.parseArgs`, which starts without loading Commander (SPEC §5: a warm `history` ≤ 1.6× a
 * bare node start; Commander's load alone was a fifth of that). Whatever the fast parse does not
 * take as clean (help, an unknown or missing option, options before the verb, a wrong count of
 * arguments) goes to Commander, which reports it as it always has.
 */
import { parseArgs } from 'node:util';
import type { Command } from 'commander';

export interface OptionSpec {
  /** Commander's flags, long form only: `--stream <ref>`, `--json`, `--no-cache`. */
  flags: string;
  description: string;
  default?: string;
  required?: boolean;
}

export interface VerbSpec {
  name: string;
  description: string;
  /** Required positional arguments: `<package>`. */
  args: string[];
  options: OptionSpec[];
}

/** What the action gets: the arguments in order, and the options as Commander names them. */
export type VerbOptions = Record<string, string | boolean | undefined>;

/** A verb that can run from the fast parse. */
export interface FastVerb {
  spec: VerbSpec;
  run: (args: string[], opts: VerbOptions) => Promise<void>;
}

interface Flag {
  /** The option's name on the command line, without dashes. */
  long: string;
  /** Its key in the options (Commander's camelCase of the name, `no-` dropped). */
  key: string;
  takesValue: boolean;
  negated: boolean;
}

function flagOf(o: OptionSpec): Flag {
  const m = /^--([a-z][a-z0-9-]*)(\s+<[^>]+>)?$/.exec(o.flags);
  if (!m) throw new Error(`verb spec: flags "${o.flags}" are not of the form --name or --name <value>`);
  const negated = m[1].startsWith('no-');
  const name = negated ? m[1].slice(3) : m[1];
  return { long: m[1], key: name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()), takesValue: m[2] !== undefined, negated };
}

/** Registers the verb with Commander, options in their listed order; the caller adds the action. */
export function commandOf(program: Command, spec: VerbSpec): Command {
  const cmd = program.command(spec.name).description(spec.description);
  for (const a of spec.args) cmd.argument(a);
  for (const o of spec.options) {
    if (o.required) cmd.requiredOption(o.flags, o.description, o.default);
    else cmd.option(o.flags, o.description, o.default);
  }
  return cmd;
}

/** The verb's arguments and options exactly as Commander would give them; null: leave it to Commander. */
export function fastParse(spec: VerbSpec, argv: readonly string[]): { args: string[]; opts: VerbOptions } | null {
  if (argv[0] !== spec.name) return null;
  const flags = spec.options.map(flagOf);
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv.slice(1),
      strict: true,
      allowPositionals: true,
      options: Object.fromEntries(flags.map((f) => [f.long, { type: f.takesValue ? ('string' as const) : ('boolean' as const) }])),
    }));
  } catch {
    return null;
  }
  if (positionals.length !== spec.args.length) return null;
  const opts: VerbOptions = {};
  for (const [i, f] of flags.entries()) {
    const given = values[f.long];
    const o = spec.options[i];
    if (Array.isArray(given)) return null;
    // Commander: `--no-x` alone defines x, true unless the flag is given.
    if (f.negated) opts[f.key] = given !== true;
    else if (given !== undefined) opts[f.key] = given;
    else if (o.default !== undefined) opts[f.key] = o.default;
    else if (o.required) return null;
  }
  return { args: positionals, opts };
}
