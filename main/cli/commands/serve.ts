/**
 * `lockstep serve`: the app in the default browser, served on loopback. The first stdout line is
 * `Lockstep: http://127.0.0.1:PORT/?token=...` (scripts and tests read it); nothing else goes to
 * stdout. Stops on SIGINT/SIGTERM.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { AppError } from '../../../shared/errors';
import { locateRepo } from '../../git/gitdir';
import { createBrowserHostApp } from '../../host/browser-server';
import { gitHelperTokenStore } from '../../git/transport/credentials';
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

/** How long the launch page stays for the browser to read it. */
const LAUNCH_PAGE_MS = 60_000;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A one-time page that sends the browser on to the URL with the token. The browser is started
 * with this page's path, not the URL: a command line is visible to every local user (ps,
 * /proc), a file in a folder only the user can enter is not. The page is removed once the
 * browser has had time to read it, and when the server stops.
 */
export function writeLaunchPage(url: string, dir: string): { file: string; remove(): void } {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // An existing folder keeps its mode: make sure it is ours alone before writing in it.
  fs.chmodSync(dir, 0o700);
  // Pages a killed server never removed.
  for (const old of fs.readdirSync(dir)) {
    const f = path.join(dir, old);
    if (/^open-[0-9a-f]+\.html$/.test(old) && Date.now() - fs.statSync(f).mtimeMs > LAUNCH_PAGE_MS) fs.rmSync(f, { force: true });
  }
  const file = path.join(dir, `open-${crypto.randomBytes(12).toString('hex')}.html`);
  const u = escapeHtml(url);
  const html = `<!doctype html>\n<meta charset="utf-8">\n<meta name="referrer" content="no-referrer">\n<meta http-equiv="refresh" content="0;url=${u}">\n<title>Lockstep</title>\n<p><a href="${u}">Open Lockstep</a></p>\n`;
  // 'wx': never through a file (or link) someone else put there.
  fs.writeFileSync(file, html, { mode: 0o600, flag: 'wx' });
  return { file, remove: () => fs.rmSync(file, { force: true }) };
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
        context: { initialRepo: repo.dir, tokenStore: gitHelperTokenStore(), tokenStoreKind: 'git-helper' },
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
      let launch: { file: string; remove(): void } | null = null;
      const stopped = new Promise<void>((resolve) => {
        let stopping = false;
        const stop = () => {
          // A terminal's Ctrl-C often arrives twice (to us and through `npm start`): once is enough.
          if (stopping) return;
          stopping = true;
          launch?.remove();
          // A stray handle must not keep a stopped server's process alive.
          setTimeout(() => process.exit(process.exitCode ?? 0), 3000).unref();
          host.close().then(resolve, resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      process.stdout.write(`Lockstep: ${host.url}\n`);
      if (opts.open) {
        const fail = (why: string) =>
          process.stderr.write(`lockstep: could not open a browser (${why}); open the URL above yourself (over SSH: ssh -L ${host.port}:127.0.0.1:${host.port} ...)\n`);
        try {
          launch = writeLaunchPage(host.url, path.join(dataDir(), 'launch'));
          const page = launch;
          setTimeout(() => page.remove(), LAUNCH_PAGE_MS).unref();
          openBrowser(pathToFileURL(launch.file).href, fail);
        } catch (err) {
          fail(`cannot write the launch page: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
        }
      }
      await stopped;
    });
}
