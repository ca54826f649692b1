/** Entry point of the `lockstep` binary (bundled to dist/main/cli.cjs). */
import { reportError } from './errors';
import { endQuietlyOnClosedPipe, outputSettled } from './output';
import { main } from './program';

endQuietlyOnClosedPipe();

main(process.argv.slice(2)).then(
  ({ code, done }) => {
    process.exitCode = code;
    // All its work done and every byte written straight to its descriptor: nothing is left to
    // wait for but V8's own background work (optimising compiles, which Node drains before a
    // natural exit: 10-15 ms of a warm `history` at 10x).
    if (done && outputSettled()) process.exit(code);
  },
  (err) => {
    process.exitCode = reportError(err);
  },
);
