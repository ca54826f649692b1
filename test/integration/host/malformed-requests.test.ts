import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_CHANNELS } from '../../../shared/api/contract';
import { createBrowserHostApp } from '../../../main/host/browser-server';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

// Every call of the browser host, given malformed requests (the wrong type for the whole
// request or for each field a call reads): a 400 with a bad-input error naming the field, never
// an internal error. Run against the real back end with the demo repo open, so each handler
// gets as far as reading its fields.
const FIELDS = [
  'dir', 'url', 'operationId', 'requestId', 'answer', 'token', 'username', 'password', 'remember', 'from', 'to', 'arches', 'overrides', 'name', 'stream',
  'streams', 'arch', 'action', 'requests', 'reason', 'bodhi', 'message', 'signoff', 'branch', 'files', 'base', 'ref', 'offline', 'remoteBranch', 'email',
  'note', 'type', 'evr', 'package', 'remote', 'updates', 'srpms',
];
const WRONG: unknown[] = [7, { x: 1 }, ['a'], true, '', 'constructor', '__proto__', '\u0000', 'x'.repeat(5000)];
// Calls that take no request, and those that start long-running work on valid input only.
const NO_REQUEST = new Set(['app:info', 'repo:current', 'repo:recent', 'repo:close', 'repo:demo', 'streams:list', 'refs:list', 'drafts:list', 'identity:get']);

function post(port: number, token: string, channel: string, req: unknown): Promise<{ status: number; body: { ok: boolean; error?: { code: string; message: string; data: Record<string, unknown> } } }> {
  return new Promise((resolve, reject) => {
    const r = http.request({ host: '127.0.0.1', port, method: 'POST', path: `/api/${channel}`, headers: { 'X-Lockstep-Token': token } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(body) }));
    });
    r.on('error', reject);
    r.end(JSON.stringify({ req }));
  });
}

describe('malformed requests to the browser host', () => {
  let app: Awaited<ReturnType<typeof createBrowserHostApp>>;
  beforeAll(async () => {
    const dataDir = makeTempDir('lockstep-host-bad-');
    const staticDir = makeTempDir('lockstep-host-static-');
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html>');
    process.env.LOCKSTEP_DATA_DIR = dataDir;
    // Calls that reach a service (graduation reads the Fedora repos by default) meet a closed
    // local port: tests talk to 127.0.0.1 only, and the 340 requests per call stay fast.
    const closed = 'http://127.0.0.1:9';
    fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ graduationRepos: [`${closed}/repo/$basearch/`], bodhiUrl: closed, kojiUrl: `${closed}/kojihub`, buildPoolRepos: [`${closed}/pool/$basearch/`] }));
    app = await createBrowserHostApp({ staticDir, context: { dataDir } });
    const demo = await post(app.port, app.token, 'repo:demo', undefined);
    expect(demo.body.ok).toBe(true);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    cleanupTempDirs();
  });

  it('names that are JavaScript object keys are just names in history and the version list', async () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const history = await post(app.port, app.token, 'history:package', { name });
      expect(history.body, `history:package ${name}`).toMatchObject({ ok: true });
      const versions = await post(app.port, app.token, 'versions:list', { name });
      expect(versions.body, `versions:list ${name}`).toMatchObject({ ok: true });
    }
  });

  it('answer 400 bad-input naming the field, never an internal error', async () => {
    const internal: string[] = [];
    const unnamed: string[] = [];
    for (const channel of API_CHANNELS) {
      if (NO_REQUEST.has(channel)) continue;
      const cases: [string, unknown][] = [
        ['the request is a string', 'x'],
        ['the request is a number', 42],
        ['the request is a list', []],
        ['the request is null', null],
        ['the request is absent', undefined],
        ['the request is empty', {}],
      ];
      for (const f of FIELDS) for (const w of WRONG) cases.push([`${f} = ${JSON.stringify(w).slice(0, 20)}`, { [f]: w }]);
      for (const [what, req] of cases) {
        const r = await post(app.port, app.token, channel, req);
        if (r.body.ok) continue;
        const e = r.body.error!;
        if (e.code === 'internal') {
          internal.push(`${channel} (${what}): ${e.message}`);
          continue;
        }
        // A request that is not an object, or a field of the wrong type: 400 naming it.
        const wrongType = typeof req !== 'object' || req === null || Array.isArray(req);
        if (wrongType && !(r.status === 400 && e.data.field === 'req')) unnamed.push(`${channel} (${what}): HTTP ${r.status} ${e.message}`);
        if (e.data.malformed === true && (r.status !== 400 || typeof e.data.field !== 'string')) unnamed.push(`${channel} (${what}): HTTP ${r.status} ${e.message}`);
      }
    }
    expect(internal).toEqual([]);
    expect(unnamed).toEqual([]);
  }, 300_000);

  it('name the field whose type is wrong', async () => {
    const cases: [string, unknown, string][] = [
      ['diff:refs', { from: 'testing-devel', to: 7 }, 'to'],
      ['diff:refs', { from: 'testing-devel', to: 'stable', arches: 'x86_64' }, 'arches'],
      ['history:package', { name: 'podman', streams: 'stable' }, 'streams'],
      ['drafts:save', { stream: 'stable', action: 'pin', requests: [{ name: 1 }] }, 'requests'],
      ['drafts:save', { stream: 'stable', action: 'pin', requests: [], signoff: 'yes' }, 'signoff'],
      ['drafts:saveRaw', { stream: 'stable', files: { 'manifest-lock.overrides.yaml': 5 }, message: 'm' }, 'files'],
      ['credentials:answer', { requestId: 'x', username: null, password: null }, 'remember'],
      ['repo:clone', { url: 'https://example.org/x.git', operationId: 7 }, 'operationId'],
      ['identity:set', { name: ['Ada'], email: 'ada@example.org' }, 'name'],
    ];
    for (const [channel, req, field] of cases) {
      const r = await post(app.port, app.token, channel, req);
      expect(r.status, channel).toBe(400);
      expect(r.body.error, channel).toMatchObject({ code: 'bad-input', data: { field } });
      expect(r.body.error!.message).toContain(field);
    }
  });
});
