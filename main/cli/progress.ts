/** Transfer progress on stderr: a bar on a terminal, one line per phase otherwise (logs, CI). */
import cliProgress from 'cli-progress';
import type { TransferProgress } from '../git/transport/clone';

export function stderrProgress(): { onProgress: (p: TransferProgress) => void; stop: () => void } {
  const tty = !!process.stderr.isTTY;
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
