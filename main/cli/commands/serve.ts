/**
 * `lockstep serve`: the app in the default browser, served on loopback. The first stdout line is
 * `Lockstep: http://127.0.0.1:PORT/?token=...` (scripts and tests read it); nothing else goes to
 * stdout. Stops on SIGINT/SIGTERM.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../../../shared/errors';
import { locateRepo } from '../../git/gitdir';
import { createBrowserHostApp } from '../../host/browser-server';
import { fileTokenStore } from '../../git/credentials';
import { dataDir } from '../../services/settings';

/** Opens the URL in the default browser; calls `onFail` with a short reason when that fails. */
export function openBrowser(url: string, onFail: (why: string) => void): void {
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    onFail('no display');
    return;
  }
  const [cmd, args]: [string, string[]] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true, windowsHide: true });
    child.on('error', (err) => onFail(`${cmd}: ${(err as NodeJS.ErrnoException).code ?? err.message}`));
    child.on('exit', (code) => {
      if (code) onFail(`${cmd} exited with ${code}`);
    });
    child.unref();
  } catch (err) {
    onFail((err as Error).message);
  }
}

/** The repo to open at start: `--repo` (must be a git repo), else the current folder when it is one. */
function initialRepo(repo: string | undefined): { dir: string | undefined; explicit: boolean } {
  if (repo) return { dir: locateRepo(repo).dir, explicit: true };
  try {
    return { dir: locateRepo('.').dir, explicit: false };
  } catch {
    return { dir: undefined, explicit: false };
  }
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the app on 127.0.0.1 and open it in the default browser')
    .option('--repo <dir>', 'a local clone to open at start (default: the current folder when it is one)')
    .option('--port <n>', 'port on 127.0.0.1 (0: a free one)', '0')
    .option('--no-open', 'do not open a browser')
    .action(async (opts: { repo?: string; port: string; open: boolean }) => {
      const port = /^\d+$/.test(opts.port) ? Number(opts.port) : NaN;
      if (!Number.isInteger(port) || port > 65535) throw new AppError('bad-input', `--port ${opts.port}: expected a port number (0 for a free one)`);
      const repo = initialRepo(opts.repo);
      const staticDir = path.resolve(__dirname, '../renderer');
      if (!fs.existsSync(path.join(staticDir, 'index.html'))) {
        process.stderr.write(`lockstep: the UI is not built (${staticDir} is missing): run npm run build; the API is served anyway\n`);
      }
      const host = await createBrowserHostApp({
        port,
        staticDir,
        context: { initialRepo: repo.dir, tokenStore: fileTokenStore(path.join(dataDir(), 'tokens.json')) },
        onLog: (line) => process.stderr.write(`lockstep serve: ${line}\n`),
      });
      try {
        // Opened before the URL is printed, so the first page load already sees it.
        await host.backend.start();
      } catch (err) {
        // --repo named something that cannot be opened: an error. The current folder merely
        // not being a config repo: the welcome screen.
        if (repo.explicit) {
          await host.close();
          throw err;
        }
      }
      // Signals are handled before the URL is out: whoever reads it may stop us at once.
      const stopped = new Promise<void>((resolve) => {
        let stopping = false;
        const stop = () => {
          // A terminal's Ctrl-C often arrives twice (to us and through `npm start`): once is enough.
          if (stopping) return;
          stopping = true;
          // A stray handle must not keep a stopped server's process alive.
          setTimeout(() => process.exit(process.exitCode ?? 0), 3000).unref();
          host.close().then(resolve, resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      process.stdout.write(`Lockstep: ${host.url}\n`);
      if (opts.open) {
        openBrowser(host.url, (why) =>
          process.stderr.write(`lockstep: could not open a browser (${why}); open the URL above yourself (over SSH: ssh -L ${host.port}:127.0.0.1:${host.port} ...)\n`),
        );
      }
      await stopped;
    });
}
