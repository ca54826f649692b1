/**
 * The `lockstep` command: the same core as the app, headless. Each command's module (and the
 * services and npm packages behind it: isomorphic-git, yaml) is loaded only when that command
 * runs, so `lockstep --version` or a warm `lockstep history` do not pay for the others.
 */
import { Command, CommanderError } from 'commander';
import { version } from '../../package.json';
import { reportError } from './errors';

type Register = (program: Command) => void;

/** Command name -> the module that registers it (several commands may share one). */
const COMMANDS: Record<string, () => Promise<Register>> = {
  vercmp: async () => (await import('./commands/vercmp')).registerVercmp,
  evrcmp: async () => (await import('./commands/vercmp')).registerVercmp,
  streams: async () => (await import('./commands/streams')).registerStreams,
  diff: async () => (await import('./commands/diff')).registerDiff,
  pin: async () => (await import('./commands/drafts')).registerDrafts,
  unpin: async () => (await import('./commands/drafts')).registerDrafts,
  drafts: async () => (await import('./commands/drafts')).registerDrafts,
  rebase: async () => (await import('./commands/drafts')).registerDrafts,
  discard: async () => (await import('./commands/drafts')).registerDrafts,
  adopt: async () => (await import('./commands/drafts')).registerDrafts,
  history: async () => (await import('./commands/history')).registerHistory,
  graduated: async () => (await import('./commands/graduated')).registerGraduated,
  push: async () => (await import('./commands/push')).registerPush,
  serve: async () => (await import('./commands/serve')).registerServe,
  srpms: async () => (await import('./commands/from-update')).registerFromUpdate,
  available: async () => (await import('./commands/from-update')).registerFromUpdate,
  advisories: async () => (await import('./commands/advisories')).registerAdvisories,
  carries: async () => (await import('./commands/advisories')).registerAdvisories,
  clone: async () => (await import('./commands/transfer')).registerTransfer,
  fetch: async () => (await import('./commands/transfer')).registerTransfer,
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
  const name = argv.find((a) => !a.startsWith('-'));
  const onlyVersion = argv.length > 0 && argv.every((a) => a === '--version');
  const loaders = onlyVersion ? [] : name && COMMANDS[name] ? [COMMANDS[name]] : [...new Set(Object.values(COMMANDS))];
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
