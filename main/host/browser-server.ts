/**
 * The browser host: the same API as the Electron host, over loopback HTTP (calls) and a
 * WebSocket (events). It binds 127.0.0.1 only, needs a random per-run token, and refuses
 * foreign Origin and Host headers (DNS rebinding). Static files are the built renderer.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { API_CHANNELS, type ApiChannel, type ApiEventName, type ApiEvents } from '../../shared/api/contract';
import { API_PREFIX, EVENTS_PATH, TOKEN_HEADER } from '../../shared/api/bridge';
import { contentSecurityPolicy } from '../../shared/api/csp';
import { toAppError } from '../../shared/errors';
import type { Result } from '../../shared/result';
import { createBackend, type AppBackend, type AppContext } from '../services/app-api';

export interface BrowserHostOptions {
  port?: number;
  staticDir: string;
  context?: Omit<AppContext, 'emit' | 'host'>;
  /** For tests: a backend built from the emit function the host provides. */
  makeBackend?: (emit: AppContext['emit']) => AppBackend;
}

export interface BrowserHost {
  url: string;
  port: number;
  token: string;
  backend: AppBackend;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

const CHANNELS = new Set<string>(API_CHANNELS);

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}


export async function startBrowserHost(opts: BrowserHostOptions): Promise<BrowserHost> {
  const token = crypto.randomBytes(24).toString('base64url');
  const sockets = new Set<WebSocket>();
  const emit = <E extends ApiEventName>(event: E, payload: ApiEvents[E]) => {
    const msg = JSON.stringify({ event, payload });
    for (const s of sockets) if (s.readyState === s.OPEN) s.send(msg);
  };
  const backend = opts.makeBackend ? opts.makeBackend(emit) : createBackend({ ...(opts.context ?? {}), host: 'browser', emit });
  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const originOk = (origin: string | undefined) => origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
  const hostOk = (host: string | undefined) => host !== undefined && allowedHosts().has(host);
  const staticRoot = path.resolve(opts.staticDir);

  const server = http.createServer((req, res) => {
    const send = (status: number, body: string, type = 'text/plain; charset=utf-8') => {
      res.writeHead(status, { 'Content-Type': type, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' });
      res.end(body);
    };
    if (!hostOk(req.headers.host)) return send(403, 'forbidden host');
    if (!originOk(req.headers.origin)) return send(403, 'forbidden origin');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname.startsWith(API_PREFIX)) {
      if (req.method !== 'POST') return send(405, 'POST only');
      const given = req.headers[TOKEN_HEADER.toLowerCase()];
      if (typeof given !== 'string' || !safeEqual(given, token)) return send(401, 'missing or wrong token');
      const channel = url.pathname.slice(API_PREFIX.length);
      if (!CHANNELS.has(channel)) return send(404, 'unknown call');
      let size = 0;
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > 1 << 20) {
          send(413, 'request too large');
          req.destroy();
        } else chunks.push(c);
      });
      req.on('end', async () => {
        let result: Result<unknown>;
        try {
          const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { req?: unknown }) : {};
          const handler = backend.handlers[channel as ApiChannel] as (r: unknown) => Promise<unknown>;
          result = { ok: true, value: (await handler(body.req)) ?? null };
        } catch (err) {
          result = { ok: false, error: toAppError(err).toPlain() };
        }
        send(200, JSON.stringify(result), 'application/json');
      });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'GET only');
    const rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const file = path.resolve(staticRoot, `.${rel}`);
    if (!file.startsWith(staticRoot + path.sep)) return send(403, 'forbidden path');
    fs.readFile(file, (err, data) => {
      if (err) return send(404, 'not found');
      const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
      const headers: Record<string, string> = {
        'Content-Type': type,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Content-Security-Policy': contentSecurityPolicy([`ws://127.0.0.1:${port}`, `ws://localhost:${port}`]),
        'Cache-Control': type.startsWith('text/html') ? 'no-store' : 'max-age=3600',
      };
      res.writeHead(200, headers);
      res.end(req.method === 'HEAD' ? undefined : data);
    });
  });

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const given = url.searchParams.get('token') ?? '';
    if (url.pathname !== EVENTS_PATH || !hostOk(req.headers.host) || !originOk(req.headers.origin) || !safeEqual(given, token)) {
      socket.write('HTTP/1.1 403 Forbidden\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', resolve);
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    backend,
    async close() {
      backend.dispose();
      for (const s of sockets) s.terminate();
      wss.close();
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
