/** `lockstep serve`: the app in the default browser, served on loopback. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../../../shared/errors';
import { startBrowserHost } from '../../host/browser-server';
import { locateRepo } from '../../git/gitdir';
import { fileTokenStore } from '../../services/credentials';
import { dataDir } from '../../services/settings';

function openBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true });
  child.on('error', () => process.stderr.write(`lockstep: could not open a browser; open ${url.replace(/token=.*/, 'token=…')} (the full URL is above) yourself\n`));
  child.unref();
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the app on 127.0.0.1 and open it in the default browser')
    .option('--repo <dir>', 'a local clone to open at start')
    .option('--port <n>', 'port (default: a free one)', '0')
    .option('--no-open', 'do not open a browser')
    .action(async (opts) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new AppError('bad-input', `--port ${opts.port}: expected a port number`);
      // The current folder is opened only when it is a config repo; otherwise the welcome screen.
      const explicit = Boolean(opts.repo);
      let initialRepo: string | undefined;
      if (opts.repo) initialRepo = locateRepo(opts.repo).dir;
      else {
        try {
          initialRepo = locateRepo('.').dir;
        } catch {
          initialRepo = undefined;
        }
      }
      const staticDir = path.resolve(__dirname, '../renderer');
      if (!fs.existsSync(path.join(staticDir, 'index.html'))) {
        throw new AppError('internal', `the UI is not built (${staticDir} is missing): run npm run build`);
      }
      const host = await startBrowserHost({
        port,
        staticDir,
        context: { tokenStore: fileTokenStore(path.join(dataDir(), 'tokens.json')) },
      });
      process.stdout.write(`Lockstep: ${host.url}\n`);
      if (initialRepo) {
        try {
          await host.backend.handlers['repo:open']({ dir: initialRepo });
        } catch (err) {
          if (explicit) process.stderr.write(`lockstep: could not open ${initialRepo}: ${(err as Error).message}\n`);
        }
      }
      if (opts.open) openBrowser(host.url);
      await new Promise<void>((resolve) => {
        const stop = () => {
          host.close().then(resolve, resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
