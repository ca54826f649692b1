/**
 * A real smart-HTTP git server for tests: git's own `git http-backend` behind a small Node
 * server on 127.0.0.1, with optional Basic auth and a way to make it die mid-response.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';

export interface GitServerOptions {
  /** Folder holding the bare repos (GIT_PROJECT_ROOT). */
  root: string;
  auth?: { username: string; password: string };
  receivePack?: boolean;
}

export interface GitServer {
  url: string;
  repoUrl(name: string): string;
  requests: number;
  stop(): Promise<void>;
  /** Destroys every open connection and backend: the server dies mid-transfer. */
  kill(): Promise<void>;
  /** The next response matching `pattern` is cut after `afterBytes` bytes. */
  failNext(pattern: RegExp, afterBytes: number): void;
  /** While down, every connection is dropped at once (an unreachable server). */
  setDown(down: boolean): void;
}

const BACKEND = path.join(execFileSync('git', ['--exec-path']).toString().trim(), 'git-http-backend');

export async function startGitServer(opts: GitServerOptions): Promise<GitServer> {
  const children = new Set<ChildProcess>();
  const sockets = new Set<Socket>();
  let failure: { pattern: RegExp; afterBytes: number } | null = null;
  const state = { requests: 0, down: false };
  const server = http.createServer((req, res) => {
    state.requests++;
    if (state.down) {
      req.socket.destroy();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (opts.auth) {
      const want = `Basic ${Buffer.from(`${opts.auth.username}:${opts.auth.password}`).toString('base64')}`;
      if (req.headers.authorization !== want) {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="lockstep-test"' });
        res.end('unauthorized');
        return;
      }
    }
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: opts.root,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: decodeURIComponent(url.pathname),
      REQUEST_METHOD: req.method,
      QUERY_STRING: url.search.replace(/^\?/, ''),
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      REMOTE_ADDR: '127.0.0.1',
      REMOTE_USER: opts.auth?.username ?? '',
    };
    if (req.headers['content-length']) env.CONTENT_LENGTH = req.headers['content-length'];
    for (const [k, v] of Object.entries(req.headers)) env[`HTTP_${k.toUpperCase().replace(/-/g, '_')}`] = Array.isArray(v) ? v.join(', ') : v;
    if (opts.receivePack ?? true) Object.assign(env, { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.receivepack', GIT_CONFIG_VALUE_0: 'true' });
    const child = spawn(BACKEND, [], { env });
    children.add(child);
    child.on('exit', () => children.delete(child));
    req.pipe(child.stdin);
    child.stdin.on('error', () => undefined);
    let cut = failure && failure.pattern.test(req.url ?? '') ? failure.afterBytes : -1;
    if (cut >= 0) failure = null;
    let head = Buffer.alloc(0);
    let headersDone = false;
    let sent = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      if (!headersDone) {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        const lines = head.subarray(0, end).toString().split('\r\n');
        let status = 200;
        const headers: Record<string, string> = {};
        for (const l of lines) {
          const i = l.indexOf(':');
          const k = l.slice(0, i).trim();
          const v = l.slice(i + 1).trim();
          if (k.toLowerCase() === 'status') status = Number(v.split(' ')[0]);
          else headers[k] = v;
        }
        res.writeHead(status, headers);
        headersDone = true;
        chunk = head.subarray(end + 4);
      }
      if (cut >= 0 && sent + chunk.length > cut) {
        // Cut only once the partial answer is on the wire: a socket closed before the client
        // saw a response is retried by any HTTP client (a stale keep-alive looks the same).
        const socket = req.socket;
        res.write(chunk.subarray(0, Math.max(0, cut - sent)), () => setTimeout(() => socket.destroy(), 20));
        child.stdout.removeAllListeners('data');
        child.stdout.removeAllListeners('end');
        child.kill('SIGKILL');
        cut = -1;
        return;
      }
      sent += chunk.length;
      res.write(chunk);
    });
    child.stdout.on('end', () => res.end());
    child.stderr.on('data', () => undefined);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const kill = async () => {
    for (const c of children) c.kill('SIGKILL');
    for (const s of sockets) s.destroy();
  };
  return {
    url,
    repoUrl: (name) => `${url}/${name}`,
    get requests() {
      return state.requests;
    },
    stop: async () => {
      await kill();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    kill,
    failNext(pattern, afterBytes) {
      failure = { pattern, afterBytes };
    },
    setDown(down) {
      state.down = down;
    },
  };
}
