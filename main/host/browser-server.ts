/**
 * The browser host: the same API as the Electron host, over loopback HTTP (calls) and a
 * WebSocket (events), following the wire protocol of shared/api/bridge.ts. It binds 127.0.0.1
 * only, needs a random per-run token for anything that carries data, and refuses foreign Host
 * headers (DNS rebinding) and foreign Origins (other sites in the user's browser). Static files
 * are the built renderer. Tokens and request bodies are never logged.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { API_PREFIX, EVENTS_PATH, TOKEN_HEADER } from '../../shared/api/bridge';
import { API_CHANNELS, type ApiChannel, type ApiEventName, type ApiEvents, type EmitEvent } from '../../shared/api/contract';
import { contentSecurityPolicy, CSP_META_RE, cspMetaTag, metaContentSecurityPolicy } from '../../shared/api/csp';
import { AppError } from '../../shared/errors';
import { dispatch, errorResult, isRequestFieldError } from '../app/dispatch';
import { createBackend, type AppBackend, type AppContext } from '../app/backend';

/** Events of the back end, fanned out to whoever listens (the host's WebSocket clients). */
export interface EventHub {
  /** Give this to `createBackend` as its `emit`. */
  emit: EmitEvent;
  subscribe(listener: <E extends ApiEventName>(event: E, payload: ApiEvents[E]) => void): () => void;
}

/** A hub whose `emit` calls every subscriber; a failing subscriber never reaches the back end. */
export function createEventHub(): EventHub {
  const listeners = new Set<(event: ApiEventName, payload: unknown) => void>();
  return {
    emit(event, payload) {
      for (const l of listeners) {
        try {
          l(event, payload);
        } catch {
          // A broken listener must not break the operation that emitted.
        }
      }
    },
    subscribe(listener) {
      const l = listener as (event: ApiEventName, payload: unknown) => void;
      listeners.add(l);
      return () => void listeners.delete(l);
    },
  };
}

export interface BrowserHostOptions {
  backend: AppBackend;
  /** The hub the backend's `emit` feeds; every event goes to every connected WebSocket. */
  events: EventHub;
  /** 0 or absent: a free port. */
  port?: number;
  /** The built renderer (index.html + assets). */
  staticDir: string;
  /** Refused requests and internal errors, one line each; never a token or a request body. */
  onLog?(line: string): void;
}

export interface BrowserHost {
  /** `http://127.0.0.1:PORT/?token=...`: what the user opens. */
  url: string;
  port: number;
  token: string;
  /** Stops listening and drops every connection. Does not dispose the backend. */
  close(): Promise<void>;
}

/** Largest accepted call body. */
export const MAX_BODY_BYTES = 1 << 20;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

const CHANNELS: ReadonlySet<string> = new Set<string>(API_CHANNELS);

/** Constant-time comparison that does not even leak the length (both sides hashed first). */
function sameSecret(given: string, token: string): boolean {
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(token).digest();
  return crypto.timingSafeEqual(a, b) && given.length === token.length;
}


/** Starts the host on 127.0.0.1 for an already built backend whose events flow through `events`. */
export async function startBrowserHost(opts: BrowserHostOptions): Promise<BrowserHost> {
  const { backend } = opts;
  const log = (line: string) => opts.onLog?.(line);
  const token = crypto.randomBytes(24).toString('base64url');
  const staticRoot = path.resolve(opts.staticDir);
  let port = 0;
  let csp = '';
  let metaCsp = '';

  const hostOk = (host: string | undefined) => {
    const h = host?.toLowerCase();
    return h === `127.0.0.1:${port}` || h === `localhost:${port}`;
  };
  // Absent: not a browser's cross-origin request (curl, the tests). Present: must be us.
  const originOk = (origin: string | undefined) => origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;

  const baseHeaders = (): Record<string, string> => ({
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cross-Origin-Opener-Policy': 'same-origin',
  });

  const server = http.createServer((req, res) => {
    let answered = false;
    const send = (status: number, body: string, type = 'text/plain; charset=utf-8') => {
      if (answered || res.headersSent) return;
      answered = true;
      const headers: Record<string, string | number> = { ...baseHeaders(), 'Content-Type': type, 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(body) };
      // Refused with a body still coming: close rather than read the rest.
      if (status === 413) headers.Connection = 'close';
      res.writeHead(status, headers);
      res.end(body);
    };
    // Logged by path only: the query string may hold the token.
    const where = `${req.method} ${(req.url ?? '/').split('?')[0]}`;
    const refuse = (status: number, why: string) => {
      log(`refused ${where}: ${why}`);
      send(status, why);
    };

    if (!hostOk(req.headers.host)) return refuse(403, 'forbidden host');
    if (!originOk(req.headers.origin)) return refuse(403, 'forbidden origin');
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    } catch {
      return refuse(400, 'bad request path');
    }

    if (url.pathname.startsWith(API_PREFIX)) {
      if (req.method !== 'POST') return refuse(405, 'calls are POST');
      const given = req.headers[TOKEN_HEADER.toLowerCase()];
      if (typeof given !== 'string' || !sameSecret(given, token)) return refuse(401, 'missing or wrong token');
      const channel = url.pathname.slice(API_PREFIX.length);
      if (!CHANNELS.has(channel)) return refuse(404, 'unknown call');
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > MAX_BODY_BYTES) return refuse(413, 'request too large');
      let size = 0;
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => {
        if (answered) return;
        size += c.length;
        if (size > MAX_BODY_BYTES) refuse(413, 'request too large');
        else chunks.push(c);
      });
      req.on('error', () => undefined);
      req.on('end', () => {
        if (answered) return;
        let body: unknown;
        try {
          body = size === 0 ? {} : JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          return refuse(400, 'the body must be JSON: {"req": ...}');
        }
        if (body === null || typeof body !== 'object' || Array.isArray(body)) return refuse(400, 'the body must be a JSON object: {"req": ...}');
        // A malformed field is the client's error: 400, with the same Result body naming the field.
        void invoke(channel as ApiChannel, (body as { req?: unknown }).req).then(([status, result]) => send(status, result, 'application/json; charset=utf-8'));
      });
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(405, 'GET only');
    if (url.pathname === EVENTS_PATH) return refuse(426, 'events need a WebSocket upgrade');
    void serveStatic(url.pathname, req, res, send, refuse);
  });

  /** Runs one call; always a Result, serialised (a value that cannot be serialised is an internal error), with its HTTP status. */
  async function invoke(channel: ApiChannel, req: unknown): Promise<[number, string]> {
    const result = await dispatch(backend.handlers, channel, req, (c, err) => log(`internal error in ${c}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`));
    const status = !result.ok && isRequestFieldError(result.error) ? 400 : 200;
    try {
      return [status, JSON.stringify(result)];
    } catch (err) {
      log(`internal error in ${channel}: the result cannot be serialised: ${(err as Error).message}`);
      return [200, JSON.stringify(errorResult(new AppError('internal', `the answer to ${channel} could not be sent`)))];
    }
  }

  async function serveStatic(
    pathname: string,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    send: (status: number, body: string, type?: string) => void,
    refuse: (status: number, why: string) => void,
  ): Promise<void> {
    let rel: string;
    try {
      rel = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
    } catch {
      return refuse(400, 'bad path encoding');
    }
    if (rel.includes('\0') || rel.includes('\\')) return refuse(400, 'bad path');
    const file = path.resolve(staticRoot, `.${rel}`);
    if (!file.startsWith(staticRoot + path.sep)) return refuse(403, 'forbidden path');
    let real: string;
    let stat: fs.Stats;
    try {
      real = await fs.promises.realpath(file);
      stat = await fs.promises.stat(real);
    } catch {
      if (rel === '/index.html') return send(503, `The Lockstep UI is not built (${path.join(staticRoot, 'index.html')} is missing): run npm run build.`);
      return send(404, 'not found');
    }
    // A symlink inside the folder must not lead out of it either.
    const realRoot = await fs.promises.realpath(staticRoot).catch(() => staticRoot);
    if (!real.startsWith(realRoot + path.sep)) return refuse(403, 'forbidden path');
    if (!stat.isFile()) return send(404, 'not found');
    const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    const html = type.startsWith('text/html');
    if (html) {
      // The built page's CSP meta tag is Electron's (no WebSocket): both policies apply, so it
      // would block our events socket. It gets this run's policy, the header's, instead.
      let page: Buffer;
      try {
        page = Buffer.from((await fs.promises.readFile(real, 'utf8')).replace(CSP_META_RE, cspMetaTag(metaCsp)), 'utf8');
      } catch {
        return send(404, 'not found');
      }
      res.writeHead(200, { ...baseHeaders(), 'Content-Type': type, 'Content-Length': page.length, 'Content-Security-Policy': csp, 'Cache-Control': 'no-store' });
      return void res.end(req.method === 'HEAD' ? undefined : page);
    }
    res.writeHead(200, {
      ...baseHeaders(),
      'Content-Type': type,
      'Content-Length': stat.size,
      'Content-Security-Policy': csp,
      'Cache-Control': html ? 'no-store' : 'no-cache',
    });
    if (req.method === 'HEAD') return void res.end();
    const stream = fs.createReadStream(real);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  }

  // Events: a WebSocket on /events with the token in the query (browsers cannot set headers on it).
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  const sockets = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    const deny = (status: string, why: string) => {
      log(`refused WebSocket ${(req.url ?? '/').split('?')[0]}: ${why}`);
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
    };
    socket.on('error', () => undefined);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    } catch {
      return deny('400 Bad Request', 'bad path');
    }
    if (url.pathname !== EVENTS_PATH) return deny('404 Not Found', 'not the events path');
    if (!hostOk(req.headers.host)) return deny('403 Forbidden', 'forbidden host');
    if (!originOk(req.headers.origin)) return deny('403 Forbidden', 'forbidden origin');
    if (!sameSecret(url.searchParams.get('token') ?? '', token)) return deny('401 Unauthorized', 'missing or wrong token');
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', () => sockets.delete(ws));
      // The channel is one-way: anything a client sends is ignored.
      ws.on('message', () => undefined);
    });
  });
  const unsubscribe = opts.events.subscribe((event, payload) => {
    const msg = JSON.stringify({ event, payload });
    for (const s of sockets) if (s.readyState === s.OPEN) s.send(msg);
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    unsubscribe();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      throw new AppError('bad-input', `cannot listen on 127.0.0.1:${opts.port}: ${code === 'EADDRINUSE' ? 'the port is in use' : 'permission denied'}; choose another --port, or 0 for a free one`);
    }
    throw err;
  }
  port = (server.address() as AddressInfo).port;
  csp = contentSecurityPolicy([`ws://127.0.0.1:${port}`, `ws://localhost:${port}`]);
  metaCsp = metaContentSecurityPolicy([`ws://127.0.0.1:${port}`, `ws://localhost:${port}`]);

  let closing: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close() {
      closing ??= new Promise<void>((resolve) => {
        unsubscribe();
        for (const s of sockets) s.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

export interface BrowserHostAppOptions {
  /** Everything createBackend needs but `host` and `emit`, which the host provides. */
  context?: Omit<AppContext, 'emit' | 'host'>;
  port?: number;
  staticDir: string;
  onLog?(line: string): void;
}

/**
 * The back end and the host together: the backend's `emit` feeds an event hub that the host
 * broadcasts on its WebSocket. `close()` also disposes the backend.
 */
export async function createBrowserHostApp(opts: BrowserHostAppOptions): Promise<BrowserHost & { backend: AppBackend }> {
  const events = createEventHub();
  const backend = createBackend({ ...(opts.context ?? {}), host: 'browser', emit: events.emit });
  let host: BrowserHost;
  try {
    host = await startBrowserHost({ backend, events, port: opts.port, staticDir: opts.staticDir, onLog: opts.onLog });
  } catch (err) {
    backend.dispose();
    throw err;
  }
  return {
    ...host,
    backend,
    async close() {
      await host.close();
      backend.dispose();
    },
  };
}
