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
  | { kind: 'garble'; target: RegExp; at: number; length: number }
  /** The request body (a push's commands and pack) cut `at` bytes in: the server sees it end there. */
  | { kind: 'cut-request'; target: RegExp; at: number };

export interface HostileProxy {
  url: string;
  repoUrl(name: string): string;
  /** The fault for the next answers (until set again). */
  fault: Fault;
  /** Answers the fault was applied to. */
  readonly hits: number;
  /** Run before a matching request is forwarded (the remote moving between advertisement and update). */
  before: { target: RegExp; run: () => Promise<void> } | null;
  /** The bodies of the requests and answers matching `record` (to find pkt-line boundaries). */
  record: RegExp | null;
  readonly recorded: { url: string; request: Buffer; answer: Buffer }[];
  stop(): Promise<void>;
}

export async function startHostileProxy(target: string): Promise<HostileProxy> {
  const sockets = new Set<Socket>();
  let hits = 0;
  const proxy: HostileProxy = {
    url: '',
    repoUrl: (name) => `${proxy.url}/${name}`,
    fault: { kind: 'pass' },
    before: null,
    record: null,
    recorded: [],
    get hits() {
      return hits;
    },
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = http.createServer((req, res) => {
    const hook = proxy.before;
    if (hook && hook.target.test(req.url ?? '')) {
      // The body waits (paused) while the hook runs; then the request goes on as usual.
      req.pause();
      proxy.before = null;
      void hook.run().then(() => {
        req.resume();
        forward(req, res);
      });
      return;
    }
    forward(req, res);
  });
  const forward = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const headers = { ...req.headers };
    delete headers.host;
    // Uncompressed answers, so byte offsets mean the same thing on every run.
    delete headers['accept-encoding'];
    const fault = proxy.fault;
    // A cut body must reach the server as a body that ends, not one it waits on for its declared length.
    if (fault.kind === 'cut-request' && fault.target.test(req.url ?? '')) delete headers['content-length'];
    const recording = proxy.record?.test(req.url ?? '') ? { url: req.url ?? '', request: [] as Buffer[], answer: [] as Buffer[] } : null;
    const up = http.request(`${target}${req.url}`, { method: req.method, headers }, (ur) => {
      const out = { ...ur.headers };
      for (const h of ['connection', 'keep-alive', 'transfer-encoding', 'content-length']) delete out[h];
      res.writeHead(ur.statusCode ?? 500, out);
      if (recording) {
        ur.on('data', (d: Buffer) => recording.answer.push(d));
        ur.on('end', () => proxy.recorded.push({ url: recording.url, request: Buffer.concat(recording.request), answer: Buffer.concat(recording.answer) }));
      }
      if (fault.kind === 'pass' || fault.kind === 'cut-request' || !fault.target.test(req.url ?? '')) {
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
    if (recording) req.on('data', (d: Buffer) => recording.request.push(d));
    if (fault.kind === 'cut-request' && fault.target.test(req.url ?? '')) {
      hits++;
      let got = 0;
      req.on('data', (d: Buffer) => {
        if (got >= fault.at) return;
        const keep = d.subarray(0, fault.at - got);
        got += d.length;
        up.write(keep);
        if (got >= fault.at) {
          // The rest never arrives: the server sees the body end early, the client a dead connection.
          up.end();
          req.socket.destroy();
        }
      });
      req.on('end', () => up.end());
      return;
    }
    req.pipe(up);
  };
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
