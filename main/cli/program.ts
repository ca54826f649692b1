/**
 * The `lockstep` command: the same core as the app, headless. Each command's module (and the
 * services and npm packages behind it: isomorphic-git, yaml) is loaded only when that command
 * runs, so `lockstep --version` or a warm `lockstep history` do not pay for the others.
 */
import { Command, CommanderError } from 'commander';
import { version } from '../../package.json';
import { reportError } from './errors';
import { VERBS, verbOf, type CommandModule } from './verbs';

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

/**
 * The program with the commands `argv` needs: only the named command's module, or every
 * module when none is named (help, or an unknown command Commander must report).
 */
export async function buildProgram(argv: string[] = []): Promise<Command> {
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

export async function main(argv: string[]): Promise<number> {
  const program = await buildProgram(argv);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.version' || err.code === 'commander.helpDisplayed' || err.code === 'commander.help') return 0;
      return 2;
    }
    return reportError(err);
  }
}
