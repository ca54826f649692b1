import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { API_CHANNELS, type ApiChannel } from '../../../shared/api/contract';
import { AppError } from '../../../shared/errors';
import { createBrowserHostApp, createEventHub, startBrowserHost, type BrowserHost, type EventHub } from '../../../main/host/browser-server';
import type { AppBackend } from '../../../main/app/backend';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';
import { validRequest } from '../../helpers/valid-requests';

interface Answer {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

/** A raw request: the Host header is whatever the test says (a browser under DNS rebinding sends the attacker's name). */
function request(port: number, opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: { Host: `127.0.0.1:${port}`, ...opts.headers } },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** A request line sent verbatim (http.request would normalise `..` and bad escapes away). */
function rawGet(port: number, target: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.end(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`));
    let out = '';
    s.on('data', (d) => (out += d));
    s.on('end', () => resolve(out));
    s.on('error', reject);
  });
}

function wsOutcome(url: string, headers: Record<string, string>): Promise<{ opened: boolean; status: number | null }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => {
      ws.close();
      resolve({ opened: true, status: 101 });
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve({ opened: false, status: res.statusCode ?? null });
      ws.terminate();
    });
    ws.once('error', () => resolve({ opened: false, status: null }));
  });
}

function fakeBackend(): AppBackend {
  const handlers = Object.fromEntries(API_CHANNELS.map((c) => [c, vi.fn(async (req: unknown) => ({ echo: c, req }))])) as unknown as AppBackend['handlers'];
  const h = handlers as unknown as Record<ApiChannel, ReturnType<typeof vi.fn>>;
  h['diff:refs'].mockImplementation(async () => {
    throw new AppError('not-found', 'unknown ref "nope"', { ref: 'nope' });
  });
  h['streams:list'].mockImplementation(async () => {
    throw new TypeError('boom at /secret/place');
  });
  h['repo:close'].mockImplementation(async () => undefined);
  h['repo:fetch'].mockImplementation(async () => {
    throw new AppError('network', 'cannot reach https://alice:hunter2@git.example/repo.git');
  });
  return { handlers, start: async () => undefined, dispose: vi.fn() };
}

describe('the browser host', () => {
  let host: BrowserHost;
  let backend: AppBackend;
  let events: EventHub;
  let staticDir: string;
  let logs: string[];
  const origin = () => `http://127.0.0.1:${host.port}`;
  const call = (channel: string, req: unknown, headers: Record<string, string> = {}) =>
    request(host.port, {
      method: 'POST',
      path: `/api/${channel}`,
      headers: { 'Content-Type': 'application/json', 'X-Lockstep-Token': host.token, Origin: origin(), ...headers },
      body: JSON.stringify({ req }),
    });

  beforeAll(async () => {
    process.env.LOCKSTEP_DATA_DIR = makeTempDir('lockstep-host-data-');
    // A stand-in for dist/renderer, with a file next to it that must stay out of reach.
    const parent = makeTempDir('lockstep-host-');
    staticDir = path.join(parent, 'renderer');
    fs.mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Lockstep</title>');
    fs.writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
    fs.writeFileSync(path.join(staticDir, 'assets', 'app.css'), 'body{}');
    fs.writeFileSync(path.join(staticDir, 'assets', 'font.woff2'), 'x');
    fs.writeFileSync(path.join(staticDir, 'assets', 'mod.wasm'), 'x');
    fs.writeFileSync(path.join(parent, 'package.json'), '{"secret": true}');
    fs.symlinkSync(path.join(parent, 'package.json'), path.join(staticDir, 'assets', 'escape.json'));
    backend = fakeBackend();
    events = createEventHub();
    logs = [];
    host = await startBrowserHost({ backend, events, staticDir, onLog: (l) => logs.push(l) });
  });
  afterAll(async () => {
    await host.close();
    cleanupTempDirs();
  });

  it('binds 127.0.0.1 only, with a random token in its URL', async () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const other = await startBrowserHost({ backend, events, staticDir });
    expect(other.token).not.toBe(host.token);
    await other.close();
    // Nothing answers on another address of this machine.
    const refused = await new Promise<boolean>((resolve) => {
      const s = net.connect(host.port, '::1');
      s.once('connect', () => (s.destroy(), resolve(false)));
      s.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });

  it('serves every call of the contract to a caller with the token', async () => {
    const plain = API_CHANNELS.filter((c) => !['diff:refs', 'streams:list', 'repo:close', 'repo:fetch'].includes(c));
    for (const channel of plain) {
      const req = validRequest(channel, { x: 1 });
      const r = await call(channel, req);
      expect(r.status, channel).toBe(200);
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(r.body), channel).toEqual({ ok: true, value: { echo: channel, req } });
    }
    expect((backend.handlers['app:info'] as unknown as ReturnType<typeof vi.fn>).mock.calls[0][0]).toEqual({ x: 1 });
  });

  it('answers a call with no result with null, and a body without req as an undefined request', async () => {
    expect(JSON.parse((await call('repo:close', undefined)).body)).toEqual({ ok: true, value: null });
    const r = await request(host.port, { method: 'POST', path: '/api/app:info', headers: { 'X-Lockstep-Token': host.token }, body: '{}' });
    expect(JSON.parse(r.body)).toEqual({ ok: true, value: { echo: 'app:info' } });
  });

  it('returns an AppError as plain data: code, message and place', async () => {
    const r = await call('diff:refs', { from: 'nope', to: 'stable' });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ ok: false, error: { code: 'not-found', message: 'unknown ref "nope"', data: { ref: 'nope' } } });
  });

  it('returns an internal error without its stack, logging it on the host side only', async () => {
    const r = await call('streams:list', undefined);
    const body = JSON.parse(r.body);
    expect(body).toEqual({ ok: false, error: { code: 'internal', message: 'boom at /secret/place', data: {} } });
    expect(r.body).not.toMatch(/\bat .*\.ts:\d+/);
    expect(logs.some((l) => l.includes('internal error in streams:list') && l.includes('TypeError'))).toBe(true);
  });

  it('never sends credentials found in an error message', async () => {
    const r = await call('repo:fetch', { operationId: 'x' });
    expect(r.body).not.toContain('hunter2');
    expect(JSON.parse(r.body).error.message).toBe('cannot reach https://git.example/repo.git');
  });

  it('refuses a missing or wrong token', async () => {
    expect((await call('app:info', null, { 'X-Lockstep-Token': 'wrong' })).status).toBe(401);
    expect((await call('app:info', null, { 'X-Lockstep-Token': `${host.token}x` })).status).toBe(401);
    expect((await request(host.port, { method: 'POST', path: '/api/app:info', body: '{}' })).status).toBe(401);
    // The token belongs in the header; one in the query string is not accepted for calls.
    expect((await request(host.port, { method: 'POST', path: `/api/app:info?token=${host.token}`, body: '{}' })).status).toBe(401);
  });

  it('refuses a foreign Origin, even with the token', async () => {
    expect((await call('app:info', null, { Origin: 'https://evil.example' })).status).toBe(403);
    expect((await call('app:info', null, { Origin: 'null' })).status).toBe(403);
    expect((await call('app:info', null, { Origin: `http://127.0.0.1:${host.port + 1}` })).status).toBe(403);
    expect((await call('app:info', null, { Origin: `http://localhost:${host.port}` })).status).toBe(200);
  });

  it('refuses a foreign Host (DNS rebinding), even with the token', async () => {
    expect((await call('app:info', null, { Host: `evil.example:${host.port}`, Origin: `http://evil.example:${host.port}` })).status).toBe(403);
    expect((await call('app:info', null, { Host: `evil.example:${host.port}` })).status).toBe(403);
    expect((await request(host.port, { path: '/', headers: { Host: `evil.example:${host.port}` } })).status).toBe(403);
    expect((await call('app:info', null, { Host: `localhost:${host.port}`, Origin: `http://localhost:${host.port}` })).status).toBe(200);
  });

  it('refuses unknown calls, other methods, malformed and oversized bodies', async () => {
    expect((await call('nope:nope', null)).status).toBe(404);
    expect((await call('__proto__', null)).status).toBe(404);
    expect((await request(host.port, { method: 'GET', path: '/api/app:info', headers: { 'X-Lockstep-Token': host.token } })).status).toBe(405);
    const bad = await request(host.port, { method: 'POST', path: '/api/app:info', headers: { 'X-Lockstep-Token': host.token }, body: '{"req": ' });
    expect(bad.status).toBe(400);
    expect((await request(host.port, { method: 'POST', path: '/api/app:info', headers: { 'X-Lockstep-Token': host.token }, body: '[1]' })).status).toBe(400);
    const big = await request(host.port, {
      method: 'POST',
      path: '/api/app:info',
      headers: { 'X-Lockstep-Token': host.token },
      body: JSON.stringify({ req: 'x'.repeat(1 << 20) }),
    }).catch(() => ({ status: 413 }));
    expect(big.status).toBe(413);
    // Still serving afterwards.
    expect((await call('app:info', null)).status).toBe(200);
  });

  it('serves the UI without the token, with a strict CSP and the right types', async () => {
    const page = await request(host.port, { path: '/' });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Lockstep</title>');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).toBe(
      `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; ` +
        `connect-src 'self' ws://127.0.0.1:${host.port} ws://localhost:${host.port}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`,
    );
    // The same page with the token in its query, as the printed URL opens it.
    expect((await request(host.port, { path: `/?token=${host.token}` })).status).toBe(200);
    const types: Record<string, string> = {
      '/assets/app.js': 'text/javascript',
      '/assets/app.css': 'text/css',
      '/assets/font.woff2': 'font/woff2',
      '/assets/mod.wasm': 'application/wasm',
    };
    for (const [p, type] of Object.entries(types)) {
      const r = await request(host.port, { path: p });
      expect(r.status, p).toBe(200);
      expect(r.headers['content-type'], p).toContain(type);
    }
    expect((await request(host.port, { path: '/assets/missing.js' })).status).toBe(404);
    expect((await request(host.port, { path: '/assets' })).status).toBe(404);
    expect((await request(host.port, { method: 'DELETE', path: '/' })).status).toBe(405);
  });

  it('refuses every path out of the static folder', async () => {
    for (const target of ['/../package.json', '/%2e%2e/package.json', '/assets/..%2f..%2fpackage.json', '/..%5cpackage.json', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd']) {
      const out = await rawGet(host.port, target);
      expect(out, target).not.toMatch(/^HTTP\/1\.1 200/);
      expect(out, target).not.toContain('secret');
      expect(out, target).not.toContain('root:');
    }
    const link = await request(host.port, { path: '/assets/escape.json' });
    expect(link.status).toBe(403);
    expect(link.body).not.toContain('secret');
    // Bad escapes and NUL bytes are refused, and the server lives on.
    expect(await rawGet(host.port, '/%E0%A4%A')).toMatch(/^HTTP\/1\.1 400/);
    expect(await rawGet(host.port, '/index.html%00.js')).toMatch(/^HTTP\/1\.1 400/);
    expect((await request(host.port, { path: '/' })).status).toBe(200);
  });

  it('pushes every event to WebSocket clients that have the token', async () => {
    const url = `ws://127.0.0.1:${host.port}/events?token=${host.token}`;
    const clients = [new WebSocket(url, { headers: { Origin: origin() } }), new WebSocket(url)];
    await Promise.all(clients.map((c) => new Promise((r) => c.once('open', r))));
    const got = clients.map((c) => new Promise<string>((r) => c.once('message', (m) => r(String(m)))));
    events.emit('op:progress', { operationId: 'x', phase: 'Receiving objects', loaded: 1, total: 2, percent: 50 });
    for (const g of got) {
      expect(JSON.parse(await g)).toEqual({ event: 'op:progress', payload: { operationId: 'x', phase: 'Receiving objects', loaded: 1, total: 2, percent: 50 } });
    }
    const next = new Promise<string>((r) => clients[0].once('message', (m) => r(String(m))));
    events.emit('repo:changed', null);
    expect(JSON.parse(await next)).toEqual({ event: 'repo:changed', payload: null });
    for (const c of clients) c.close();
  });

  it('refuses a WebSocket with a wrong token, a foreign Origin or Host, or another path', async () => {
    const p = host.port;
    expect(await wsOutcome(`ws://127.0.0.1:${p}/events?token=wrong`, { Origin: origin() })).toEqual({ opened: false, status: 401 });
    expect(await wsOutcome(`ws://127.0.0.1:${p}/events`, { Origin: origin() })).toEqual({ opened: false, status: 401 });
    expect(await wsOutcome(`ws://127.0.0.1:${p}/events?token=${host.token}`, { Origin: 'https://evil.example' })).toEqual({ opened: false, status: 403 });
    expect(await wsOutcome(`ws://127.0.0.1:${p}/events?token=${host.token}`, { Host: `evil.example:${p}` })).toEqual({ opened: false, status: 403 });
    expect(await wsOutcome(`ws://127.0.0.1:${p}/other?token=${host.token}`, {})).toEqual({ opened: false, status: 404 });
  });

  it('never logs the token', () => {
    expect(logs.length).toBeGreaterThan(0);
    for (const l of logs) expect(l).not.toContain(host.token);
  });

  it('says when the port is taken', async () => {
    await expect(startBrowserHost({ backend, events, staticDir, port: host.port })).rejects.toMatchObject({ code: 'bad-input' });
  });

  it('stops listening on close', async () => {
    const other = await startBrowserHost({ backend, events, staticDir });
    const ws = new WebSocket(`ws://127.0.0.1:${other.port}/events?token=${other.token}`);
    await new Promise((r) => ws.once('open', r));
    const closed = new Promise((r) => ws.once('close', r));
    await other.close();
    await closed;
    await expect(request(other.port, { path: '/' })).rejects.toThrow();
    expect(backend.dispose).not.toHaveBeenCalled();
  });
});

describe('the browser host with the real back end', () => {
  it('answers app:info and carries the back end events to the WebSocket', async () => {
    const dataDir = makeTempDir('lockstep-host-real-');
    const staticDir = makeTempDir('lockstep-host-static-');
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html>');
    const app = await createBrowserHostApp({ staticDir, context: { dataDir } });
    try {
      const post = (channel: string, req?: unknown) =>
        request(app.port, { method: 'POST', path: `/api/${channel}`, headers: { 'X-Lockstep-Token': app.token }, body: JSON.stringify({ req }) }).then((r) => JSON.parse(r.body));
      const info = await post('app:info');
      expect(info).toMatchObject({ ok: true, value: { host: 'browser', dataDir } });
      expect(await post('repo:current')).toEqual({ ok: true, value: null });
      // An error from the real back end: no repo open.
      expect(await post('streams:list')).toMatchObject({ ok: false, error: { code: 'bad-input' } });

      const ws = new WebSocket(`ws://127.0.0.1:${app.port}/events?token=${app.token}`);
      await new Promise((r) => ws.once('open', r));
      const changed = new Promise<{ event: string; payload: { demo: boolean } }>((resolve) =>
        ws.on('message', (m) => {
          const msg = JSON.parse(String(m));
          if (msg.event === 'repo:changed') resolve(msg);
        }),
      );
      const demo = await post('repo:demo');
      expect(demo).toMatchObject({ ok: true, value: { demo: true } });
      expect((await changed).payload).toMatchObject({ demo: true });
      ws.close();
    } finally {
      await app.close();
    }
  });
});
