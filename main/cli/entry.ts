/**
 * The `lockstep` binary's first module (dist/main/cli.cjs), kept tiny: `--version` is answered
 * here, and any other command loads only the bundle of the module that registers its verb
 * (dist/main/cli-<module>.cjs; cli-all.cjs for help or an unknown verb), so a command pays
 * neither for Commander nor for the code of the others (SPEC §5: CLI process budgets).
 */
import { writeSync } from 'node:fs';
import path from 'node:path';
import { version } from '../../package.json';
import { VERBS, verbOf } from './verbs';

const argv = process.argv.slice(2);
if (argv.length > 0 && argv.every((a) => a === '--version')) {
  const line = `lockstep ${version}\n`;
  // Straight to the descriptor: touching process.stdout loads Node's stream modules, which cost
  // more than the rest of this run. A non-blocking pipe that is full (EAGAIN) takes the stream's
  // way; a reader gone (EPIPE) is not a failure, as everywhere in the CLI (output.ts).
  try {
    writeSync(1, line);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPIPE') process.stdout.write(line);
  }
} else {
  const verb = verbOf(argv);
  const bundle = path.join(__dirname, `cli-${verb ? VERBS[verb] : 'all'}.cjs`);
  // A name esbuild does not follow: the bundle is loaded at run time, not inlined here.
  const load: NodeJS.Require = require;
  load(bundle);
}
