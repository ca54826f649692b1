/**
 * The `lockstep` binary's first module (dist/main/cli.cjs), kept tiny: `--version` is answered
 * here, and any other command loads only the bundle of the module that registers its verb
 * (dist/main/cli-<module>.cjs; cli-all.cjs for help or an unknown verb), so a command pays
 * neither for Commander nor for the code of the others (SPEC §5: CLI process budgets).
 */
import { writeSync } from 'node:fs';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import Module from 'node:module';
import { compileWithCodeCache } from './code-cache';
import { version } from '../../package.json';
import { VERBS, verbOf } from './verbs';

/** V8's tier-up budget for a short process (its default is 67,584 bytes of bytecode run). */
const SHORT_PROCESS_BUDGET = 8 * 66_000;

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
  // A `history` is a process of a tenth of a second that runs a lot of JavaScript (at 10x,
  // 3,000 entries read, made and written). V8's optimising compiler, tuned for pages and
  // servers, starts on a function once some 66 kB of its bytecode has run, on a second thread,
  // and the process exits only when a compile under way is done: that query compiled a dozen
  // small functions it was about to leave and waited 13 ms at exit for the last. At eight times
  // the budget only its long loops (the commit log's crc32) are compiled: 1.92x -> 1.73x a bare
  // node start at 10x, 1.36x -> 1.40x at 1x (loading node:v8 costs 3 ms; the other verbs,
  // with less to run, measured no gain for it).
  if (verb === 'history') {
    setFlagsFromString(`--interrupt-budget=${SHORT_PROCESS_BUDGET}`);
    // Node 22+ caches compiled code itself (bin/lockstep turns it on); on Node 20, code-cache.ts.
    if (typeof (Module as { enableCompileCache?: unknown }).enableCompileCache !== 'function') compileWithCodeCache(bundle);
  }
  // A name esbuild does not follow: the bundle is loaded at run time, not inlined here.
  const load: NodeJS.Require = require;
  load(bundle);
}
