import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { API_CHANNELS } from '../../../shared/api/contract';
import { AppError } from '../../../shared/errors';
import { startBrowserHost, type BrowserHost } from '../../../main/host/browser-server';
import type { AppBackend, AppContext } from '../../../main/services/app-api';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

function request(port: number, opts: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: { Host: `127.0.0.1:${port}`, ...opts.headers } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('the browser host', () => {
  let host: BrowserHost;
  let emit: AppContext['emit'];
  const call = (channel: string, req: unknown, headers: Record<string, string> = {}) =>
    request(host.port, { method: 'POST', path: `/api/${channel}`, headers: { 'Content-Type': 'application/json', 'X-Lockstep-Token': host.token, ...headers }, body: JSON.stringify({ req }) });

  beforeAll(async () => {
    const staticDir = makeTempDir();
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Lockstep</title>');
    fs.writeFileSync(path.join(makeTempDir(), 'secret.txt'), 'secret');
    host = await startBrowserHost({
      staticDir,
      makeBackend: (e) => {
        emit = e;
        const handlers = Object.fromEntries(API_CHANNELS.map((c) => [c, async (req: unknown) => ({ echo: c, req })])) as unknown as AppBackend['handlers'];
        (handlers as Record<string, unknown>)['diff:refs'] = async () => {
          throw new AppError('not-found', 'unknown ref "nope"', { ref: 'nope' });
        };
        return { handlers, start: async () => undefined, dispose: () => undefined };
      },
    });
  });
  afterAll(async () => {
    await host.close();
    cleanupTempDirs();
  });

  it('listens on 127.0.0.1 with a random token in its URL', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
  });

  it('serves every call of the contract to a caller with the token', async () => {
    for (const channel of API_CHANNELS.filter((c) => c !== 'diff:refs')) {
      const r = await call(channel, { x: 1 });
      expect(r.status, channel).toBe(200);
      expect(JSON.parse(r.body)).toEqual({ ok: true, value: { echo: channel, req: { x: 1 } } });
    }
  });

  it('returns errors as plain data', async () => {
    const r = await call('diff:refs', {});
    expect(JSON.parse(r.body)).toEqual({ ok: false, error: { code: 'not-found', message: 'unknown ref "nope"', data: { ref: 'nope' } } });
  });

  it('refuses a missing or wrong token, a foreign Origin or Host, and unknown calls', async () => {
    expect((await call('app:info', null, { 'X-Lockstep-Token': 'wrong' })).status).toBe(401);
    expect((await request(host.port, { method: 'POST', path: '/api/app:info', body: '{}' })).status).toBe(401);
    expect((await call('app:info', null, { Origin: 'https://evil.example' })).status).toBe(403);
    expect((await call('app:info', null, { Host: `evil.example:${host.port}` })).status).toBe(403);
    expect((await call('nope:nope', null)).status).toBe(404);
  });

  it('serves the UI with a strict CSP and refuses paths outside it', async () => {
    const page = await request(host.port, { path: '/' });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect((await request(host.port, { path: '/../secret.txt' })).status).not.toBe(200);
    const encoded = await request(host.port, { path: '/%2e%2e/%2e%2e/etc/passwd' });
    expect(encoded.status).not.toBe(200);
    expect(encoded.body).not.toContain('root:');
  });

  it('pushes events over a WebSocket that has the token, and refuses others', async () => {
    const good = new WebSocket(`ws://127.0.0.1:${host.port}/events?token=${host.token}`, { headers: { Origin: `http://127.0.0.1:${host.port}` } });
    await new Promise((r) => good.once('open', r));
    const got = new Promise<string>((r) => good.once('message', (m) => r(String(m))));
    emit('op:progress', { operationId: 'x', phase: 'Receiving objects', loaded: 1, total: 2, percent: 50 });
    expect(JSON.parse(await got)).toEqual({ event: 'op:progress', payload: { operationId: 'x', phase: 'Receiving objects', loaded: 1, total: 2, percent: 50 } });
    good.close();
    for (const [url, origin] of [
      [`ws://127.0.0.1:${host.port}/events?token=wrong`, `http://127.0.0.1:${host.port}`],
      [`ws://127.0.0.1:${host.port}/events?token=${host.token}`, 'https://evil.example'],
    ]) {
      const bad = new WebSocket(url, { headers: { Origin: origin } });
      const outcome = await new Promise<string>((r) => {
        bad.once('open', () => r('open'));
        bad.once('error', () => r('refused'));
      });
      expect(outcome).toBe('refused');
    }
  });
});
