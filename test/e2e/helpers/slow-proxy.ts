/**
 * A loopback HTTP proxy in front of the test git server that makes the pack transfer slow
 * (a pause, then small chunks), so a small clone's progress bar and Cancel can be watched.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlowProxy {
  url: string;
  repoUrl(name: string): string;
  stop(): Promise<void>;
}

export async function startSlowProxy(target: string, opts: { pauseMs?: number; chunkBytes?: number; chunkDelayMs?: number } = {}): Promise<SlowProxy> {
  const pause = opts.pauseMs ?? 1500;
  const chunkBytes = opts.chunkBytes ?? 2048;
  const chunkDelay = opts.chunkDelayMs ?? 40;
  const base = new URL(target);
  const server = http.createServer((req, res) => {
    const slow = req.method === 'POST' && /git-upload-pack$/.test(new URL(req.url ?? '/', base).pathname);
    const up = http.request(
      { host: base.hostname, port: base.port, method: req.method, path: req.url, headers: { ...req.headers, host: base.host } },
      (ur) => {
        const start = () => {
          res.writeHead(ur.statusCode ?? 502, ur.headers);
          if (!slow) {
            ur.pipe(res);
            return;
          }
          const queue: Buffer[] = [];
          let ended = false;
          let writing = false;
          const pump = () => {
            if (writing) return;
            const next = queue.shift();
            if (!next) {
              if (ended) res.end();
              return;
            }
            writing = true;
            setTimeout(() => {
              writing = false;
              if (!res.destroyed) res.write(next);
              pump();
            }, chunkDelay);
          };
          ur.on('data', (c: Buffer) => {
            for (let i = 0; i < c.length; i += chunkBytes) queue.push(c.subarray(i, i + chunkBytes));
            pump();
          });
          ur.on('end', () => {
            ended = true;
            pump();
          });
        };
        if (slow) setTimeout(start, pause);
        else start();
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    repoUrl: (name) => `${url}/${name}`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
