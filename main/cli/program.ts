/**
 * The `lockstep` command: the same core as the app, headless. Each command's module (and the
 * services and npm packages behind it: isomorphic-git, yaml) is loaded only when that command
 * runs, so `lockstep --version` or a warm `lockstep history` do not pay for the others; a verb
 * with a fast parse (verb-spec.ts) whose arguments are clean runs without loading Commander.
 */
import type { Command } from 'commander';
import { version } from '../../package.json';
import { reportError } from './errors';
import { fastParse, type FastVerb } from './verb-spec';
import { VERBS, verbOf, type CommandModule, type Verb } from './verbs';

type Register = (program: Command) => void;

/** Command module -> its registration (a module missing here is a compile error: `VERBS` names it). */
const COMMANDS: Record<CommandModule, () => Promise<Register>> = {
  vercmp: async () => (await import('./commands/vercmp')).registerVercmp,
  streams: async () => (await import('./commands/streams')).registerStreams,
  diff: async () => (await import('./commands/diff')).registerDiff,
  drafts: async () => (await import('./commands/drafts')).registerDrafts,
  history: async () => (await import('./commands/history')).registerHistory,
  promote: async () => (await import('./commands/promote')).registerPromote,
  graduated: async () => (await import('./commands/graduated')).registerGraduated,
  push: async () => (await import('./commands/push')).registerPush,
  serve: async () => (await import('./commands/serve')).registerServe,
  'from-update': async () => (await import('./commands/from-update')).registerFromUpdate,
  advisories: async () => (await import('./commands/advisories')).registerAdvisories,
  transfer: async () => (await import('./commands/transfer')).registerTransfer,
};

/** Commander, loaded when a verb needs it: `require`, since an npm package's `import()` would start Node's ESM loader. */
const commander = (): typeof import('commander') => require('commander') as typeof import('commander');

/** The verbs scripts call in loops (history, drafts): parsed without Commander when their arguments are clean. */
const FAST: Partial<Record<Verb, () => Promise<FastVerb>>> = {
  history: async () => (await import('./commands/history')).historyVerb,
  drafts: async () => (await import('./commands/drafts')).draftsVerb,
};

/**
 * The program with the commands `argv` needs: only the named command's module, or every
 * module when none is named (help, or an unknown command Commander must report).
 */
export async function buildProgram(argv: string[] = []): Promise<Command> {
  const { Command } = commander();
  const program = new Command('lockstep');
  program
    .description('Review and draft RPM lockfile overrides of an rpm-ostree config repo')
    .version(`lockstep ${version}`, '--version', 'print the version')
    .exitOverride()
    .showSuggestionAfterError(false)
    .configureOutput({
      writeErr: (s) => process.stderr.write(s),
      // Commander's own usage errors become our one-line form.
      outputError: (s, write) => write(`lockstep: ${s.replace(/^error:\s*/, '').trim()}\n`),
    });
  const verb = verbOf(argv);
  const onlyVersion = argv.length > 0 && argv.every((a) => a === '--version');
  const loaders = onlyVersion ? [] : verb ? [COMMANDS[VERBS[verb]]] : Object.values(COMMANDS);
  const registered = new Set<Register>();
  for (const load of loaders) {
    const register = await load();
    if (registered.has(register)) continue;
    registered.add(register);
    register(program);
  }
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}

/** The verb's run with its parsed arguments, when it has a fast parse and they are clean. */
async function fastRun(argv: string[]): Promise<(() => Promise<void>) | null> {
  const verb = verbOf(argv);
  const load = verb && FAST[verb];
  if (!load) return null;
  const fast = await load();
  const parsed = fastParse(fast.spec, argv);
  return parsed && (() => fast.run(parsed.args, parsed.opts));
}

/**
 * How a run ended: its exit status, and whether its work is known to be all done when it returns
 * (a fast verb's run awaits everything it starts; a Commander verb's is not vouched for).
 */
export interface Outcome {
  code: number;
  done: boolean;
}

export async function main(argv: string[]): Promise<Outcome> {
  const run = await fastRun(argv);
  if (run) {
    try {
      await run();
      return { code: 0, done: true };
    } catch (err) {
      return { code: reportError(err), done: true };
    }
  }
  const program = await buildProgram(argv);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return { code: 0, done: false };
  } catch (err) {
    const { CommanderError } = commander();
    if (err instanceof CommanderError) {
      if (err.code === 'commander.version' || err.code === 'commander.helpDisplayed' || err.code === 'commander.help') return { code: 0, done: false };
      return { code: 2, done: false };
    }
    return { code: reportError(err), done: false };
  }
}
