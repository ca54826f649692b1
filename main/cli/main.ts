/** Entry point of the `lockstep` binary (bundled to dist/main/cli.cjs). */
import { reportError } from './errors';
import { endQuietlyOnClosedPipe } from './output';
import { main } from './program';

endQuietlyOnClosedPipe();

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.exitCode = reportError(err);
  },
);
