/** Entry point of the `lockstep` binary (bundled to dist/main/cli.cjs). */
import { reportError } from './errors';
import { main } from './program';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.exitCode = reportError(err);
  },
);
