/**
 * Transfer progress on stderr, as git does: a bar when stderr is a terminal, nothing otherwise
 * (scripts, pipes); `--progress` forces it, as one line per phase when not a terminal (logs, CI).
 */
import cliProgress from 'cli-progress';
import type { TransferProgress } from '../git/transport/transfer';

export function stderrProgress(force = false): { onProgress: (p: TransferProgress) => void; stop: () => void } {
  const tty = !!process.stderr.isTTY;
  if (!tty && !force) return { onProgress: () => undefined, stop: () => undefined };
  let phase = '';
  let bar: cliProgress.SingleBar | null = null;
  const stop = () => {
    bar?.stop();
    bar = null;
  };
  return {
    onProgress(p) {
      if (p.phase !== phase) {
        stop();
        phase = p.phase;
        if (!tty) process.stderr.write(`${p.phase}${p.total ? ` (${p.total})` : ''}\n`);
        else if (p.total > 0) {
          bar = new cliProgress.SingleBar({ stream: process.stderr, format: `${p.phase} [{bar}] {percentage}% {value}/{total}`, hideCursor: true }, cliProgress.Presets.shades_classic);
          bar.start(p.total, p.loaded);
        } else process.stderr.write(`${p.phase}…\n`);
      }
      bar?.update(Math.min(p.loaded, p.total || p.loaded));
    },
    stop,
  };
}
