/**
 * A proxy in front of the test git server that misbehaves on purpose, at an exact byte of an
 * exact answer (never by timing): it passes, cuts the connection, stops sending and keeps the
 * connection open (a hang), or flips bytes (garbles). The fault applies to the answers whose
 * URL matches `target` (the ref advertisement `info/refs`, or the pack `git-upload-pack`),
 * starting `at` bytes into that answer's body.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Fault =
  | { kind: 'pass' }
  | { kind: 'cut'; target: RegExp; at: number }
  | { kind: 'hang'; target: RegExp; at: number }
  | { kind: 'garble'; target: RegExp; at: number; length: number };

export interface HostileProxy {
  url: string;
  repoUrl(name: string): string;
  /** The fault for the next answers (until set again). */
  fault: Fault;
  /** Answers the fault was applied to. */
  readonly hits: number;
  stop(): Promise<void>;
}

export async function startHostileProxy(target: string): Promise<HostileProxy> {
  const sockets = new Set<Socket>();
  let hits = 0;
  const proxy: HostileProxy = {
    url: '',
    repoUrl: (name) => `${proxy.url}/${name}`,
    fault: { kind: 'pass' },
    get hits() {
      return hits;
    },
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = http.createServer((req, res) => {
    const headers = { ...req.headers };
    delete headers.host;
    // Uncompressed answers, so byte offsets mean the same thing on every run.
    delete headers['accept-encoding'];
    const fault = proxy.fault;
    const up = http.request(`${target}${req.url}`, { method: req.method, headers }, (ur) => {
      const out = { ...ur.headers };
      for (const h of ['connection', 'keep-alive', 'transfer-encoding', 'content-length']) delete out[h];
      res.writeHead(ur.statusCode ?? 500, out);
      if (fault.kind === 'pass' || !fault.target.test(req.url ?? '')) {
        ur.pipe(res);
        return;
      }
      hits++;
      let sent = 0;
      let stopped = false;
      ur.on('data', (d: Buffer) => {
        if (stopped) return;
        const start = sent;
        sent += d.length;
        if (sent <= fault.at) {
          res.write(d);
          return;
        }
        const head = d.subarray(0, Math.max(0, fault.at - start));
        if (fault.kind === 'garble') {
          const chunk = Buffer.from(d);
          for (let i = Math.max(0, fault.at - start); i < Math.min(chunk.length, fault.at + fault.length - start); i++) chunk[i] ^= 0x5a;
          res.write(chunk);
          return;
        }
        stopped = true;
        res.write(head);
        if (fault.kind === 'cut') res.socket?.destroy();
        // A hang: nothing more is sent and the connection stays open until the client leaves.
      });
      ur.on('end', () => {
        if (!stopped) res.end();
      });
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
