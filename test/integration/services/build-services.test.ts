import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { AnswerCache } from '../../../main/services/fedora/answer-cache';
import { fetchUpdate } from '../../../main/services/fedora/bodhi';
import { fetchBuild } from '../../../main/services/fedora/koji';
import { startBodhi, startKoji, type Served } from '../../helpers/build-services';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a failure');
}

describe('Koji client (XML-RPC)', () => {
  let koji: Served;
  const cacheDir = makeTempDir('lockstep-cache-');
  const opts = () => ({ baseUrl: `${koji.url}/kojihub`, cache: new AnswerCache(cacheDir) });

  beforeAll(async () => {
    koji = await startKoji(
      {
        'rust-afterburn-5.7.0-1.fc40': [
          { name: 'rust-afterburn', version: '5.7.0', release: '1.fc40', epoch: null, arch: 'src' },
          { name: 'afterburn', version: '5.7.0', release: '1.fc40', epoch: null, arch: 'x86_64' },
        ],
        'podman-5.2.5-1.fc40': [{ name: 'podman', version: '5.2.5', release: '1.fc40', epoch: 5, arch: 'x86_64' }],
        'gone-1-1.fc40': [],
      },
      { states: { 'gone-1-1.fc40': 2 }, faults: { 'broken-1-1.fc40': 'Traceback: database is down' } },
    );
  });
  afterAll(async () => {
    await koji.stop().catch(() => undefined);
    cleanupTempDirs();
  });

  it('reads listBuildRPMs structs: <nil/> epochs become null, numeric epochs stay, big i8 sizes do not trip it', async () => {
    const a = await fetchBuild('rust-afterburn-5.7.0-1.fc40', opts());
    expect(a.from).toBe('network');
    expect(a.value.rpms).toEqual([
      { name: 'rust-afterburn', version: '5.7.0', release: '1.fc40', epoch: null, arch: 'src' },
      { name: 'afterburn', version: '5.7.0', release: '1.fc40', epoch: null, arch: 'x86_64' },
    ]);
    expect((await fetchBuild('podman-5.2.5-1.fc40', opts())).value.rpms[0].epoch).toBe(5);
    expect(koji.requests).toContain('getBuild(podman-5.2.5-1.fc40)');
    expect(koji.requests).toContain('listBuildRPMs(podman-5.2.5-1.fc40)');
  });

  it('caches each answer as a JSON file and answers from it without asking again', async () => {
    const file = path.join(cacheDir, 'koji', 'podman-5.2.5-1.fc40.json');
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).value.nvr).toBe('podman-5.2.5-1.fc40');
    const n = koji.requests.length;
    const again = await fetchBuild('podman-5.2.5-1.fc40', opts());
    expect(again.from).toBe('cache');
    expect(koji.requests.length).toBe(n);
    expect(fs.readdirSync(path.join(cacheDir, 'koji')).filter((f) => !f.endsWith('.json'))).toEqual([]);
  });

  it('an unknown build (getBuild nil) is not-found; a deleted one is bad input; another fault is a failure', async () => {
    expect((await failure(fetchBuild('nope-1-1.fc40', opts()))).code).toBe('not-found');
    const gone = await failure(fetchBuild('gone-1-1.fc40', opts()));
    expect([gone.code, gone.message]).toEqual(['bad-input', 'Koji build gone-1-1.fc40 is DELETED: its RPMs cannot go in a compose']);
    const broken = await failure(fetchBuild('broken-1-1.fc40', opts()));
    expect(broken.code).toBe('network');
    expect(broken.message).toMatch(/answered with a fault for broken-1-1.fc40: Traceback: database is down/);
    expect(fs.existsSync(path.join(cacheDir, 'koji', 'nope-1-1.fc40.json'))).toBe(false);
  });

  it('offline or unreachable: the cache, else a network error naming Koji', async () => {
    await koji.stop();
    expect((await fetchBuild('rust-afterburn-5.7.0-1.fc40', { ...opts(), offline: true })).from).toBe('cache');
    const e = await failure(fetchBuild('other-1-1.fc40', opts()));
    expect(e.code).toBe('network');
    expect(e.message).toMatch(/^Koji \(http:\/\/127.0.0.1:\d+\/kojihub\) cannot be reached/);
  });
});

describe('Bodhi client (REST)', () => {
  let bodhi: Served;
  const cacheDir = makeTempDir('lockstep-cache-');
  const opts = () => ({ baseUrl: bodhi.url, cache: new AnswerCache(cacheDir) });

  beforeAll(async () => {
    bodhi = await startBodhi([{ alias: 'FEDORA-2024-abc123', builds: ['podman-5.2.5-1.fc40'] }]);
  });
  afterAll(async () => {
    await bodhi.stop().catch(() => undefined);
    cleanupTempDirs();
  });

  it('reads GET /updates/<alias> and caches the answer', async () => {
    const u = await fetchUpdate('https://bodhi.fedoraproject.org/updates/FEDORA-2024-abc123', opts());
    expect(u.value).toMatchObject({ alias: 'FEDORA-2024-abc123', builds: ['podman-5.2.5-1.fc40'], distTag: 'f40', url: 'https://bodhi.fedoraproject.org/updates/FEDORA-2024-abc123' });
    expect(bodhi.requests).toEqual(['/updates/FEDORA-2024-abc123']);
    expect(fs.existsSync(path.join(cacheDir, 'bodhi', 'FEDORA-2024-abc123.json'))).toBe(true);
  });

  it("a 404 with Bodhi's error body is not-found, quoting it", async () => {
    const e = await failure(fetchUpdate('FEDORA-2024-000000', opts()));
    expect([e.code, e.message]).toEqual(['not-found', 'Bodhi has no update FEDORA-2024-000000 (Invalid update id); check the ID']);
  });

  it('stopped: the cached update resolves; an uncached one is a network error naming Bodhi; --offline never asks', async () => {
    await bodhi.stop();
    const n = bodhi.requests.length;
    expect((await fetchUpdate('FEDORA-2024-abc123', opts())).from).toBe('cache');
    const e = await failure(fetchUpdate('FEDORA-2024-def456', opts()));
    expect(e.code).toBe('network');
    expect(e.message).toMatch(/^Bodhi \(http:\/\/127.0.0.1:\d+\) cannot be reached/);
    expect((await fetchUpdate('FEDORA-2024-abc123', { ...opts(), offline: true })).from).toBe('cache');
    expect(bodhi.requests.length).toBe(n);
  });
});

describe('a service that never answers', () => {
  it('times out with a network error naming the service, for Koji and for Bodhi', async () => {
    const server = http.createServer(() => undefined);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const cache = new AnswerCache(makeTempDir('lockstep-cache-'));
    try {
      const k = await failure(fetchBuild('podman-5.2.5-1.fc40', { baseUrl: `${url}/kojihub`, cache, timeoutMs: 300 }));
      expect(k.message).toMatch(/^Koji .*\(timed out\)/);
      const b = await failure(fetchUpdate('FEDORA-2024-abc123', { baseUrl: url, cache, timeoutMs: 300 }));
      expect(b.message).toMatch(/^Bodhi .*\(timed out\)/);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
