/** The `lockstep` command: the same core as the app, headless. */
import { Command, CommanderError } from 'commander';
import { version } from '../../package.json';
import { registerDiff } from './commands/diff';
import { registerDrafts } from './commands/drafts';
import { registerFromUpdate } from './commands/from-update';
import { registerGraduated } from './commands/graduated';
import { registerHistory } from './commands/history';
import { registerPush } from './commands/push';
import { registerServe } from './commands/serve';
import { registerStreams } from './commands/streams';
import { registerTransfer } from './commands/transfer';
import { registerVercmp } from './commands/vercmp';
import { reportError } from './errors';

export function buildProgram(): Command {
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
  registerVercmp(program);
  registerTransfer(program);
  registerStreams(program);
  registerDiff(program);
  registerDrafts(program);
  registerFromUpdate(program);
  registerHistory(program);
  registerGraduated(program);
  registerPush(program);
  registerServe(program);
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
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
