import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../../shared/api/contract';
import { createBackend } from '../../../main/app/backend';
import { BackgroundIndexer } from '../../../main/services/history/background';
import { workerScript } from '../../../main/services/history/worker-script';
import { INDEX_START_FALLBACK_MS } from '../../../main/app/session';
import { createRepo, lockfileJson, overridesYaml } from '../../helpers/repo-builder';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

describe('history indexing in the background', () => {
  afterAll(() => cleanupTempDirs());

  it('builds every stream index in a worker after a repo opens, with progress', async () => {
    expect(workerScript(), 'dist/main/history-worker.cjs is built by the test setup').not.toBeNull();
    const repo = createRepo();
    repo.branch('testing-devel');
    for (let i = 0; i < 5; i++) repo.commit(`bump ${i}`, { 'manifest-lock.x86_64.json': lockfileJson({ a: `1.${i}-1.fc40.x86_64` }), 'manifest-lock.overrides.yaml': overridesYaml({}) });
    repo.branch('stable', 'testing-devel~2');
    const events: ProgressEvent[] = [];
    const done = new Promise<void>((resolve) => {
      const backend = createBackend({
        host: 'browser',
        dataDir: makeTempDir(),
        emit: (name, payload) => {
          if (name !== 'op:progress') return;
          const p = payload as ProgressEvent;
          events.push(p);
          if (p.operationId === 'index' && p.percent === 100) resolve();
        },
      });
      void backend.handlers['repo:open']({ dir: repo.dir });
    });
    await done;
    expect(events.some((e) => e.phase.startsWith('Indexing history: testing-devel'))).toBe(true);
    // One index per stream (every arch in it), each at its stream's head.
    const dir = path.join(repo.gitdir, 'lockstep', 'history3');
    const heads = fs.readdirSync(dir).filter((n) => n.endsWith('.head'));
    expect(heads.map((n) => fs.readFileSync(path.join(dir, n), 'utf8').trim()).sort()).toEqual([repo.rev('stable'), repo.rev('testing-devel')].sort());
  });

  /** A repo of two streams, 5 commits on testing-devel. */
  const twoStreams = () => {
    const repo = createRepo();
    repo.branch('testing-devel');
    for (let i = 0; i < 5; i++) repo.commit(`bump ${i}`, { 'manifest-lock.x86_64.json': lockfileJson({ a: `1.${i}-1.fc40.x86_64` }), 'manifest-lock.overrides.yaml': overridesYaml({}) });
    repo.branch('stable', 'testing-devel~2');
    return repo;
  };

  /** A back end whose index progress is recorded; `indexed` resolves when the worker's job is done. */
  const backendWithProgress = () => {
    const events: ProgressEvent[] = [];
    let resolveIndexed: () => void = () => undefined;
    const indexed = new Promise<void>((r) => (resolveIndexed = r));
    const backend = createBackend({
      host: 'browser',
      dataDir: makeTempDir(),
      emit: (name, payload) => {
        if (name !== 'op:progress' || (payload as ProgressEvent).operationId !== 'index') return;
        events.push(payload as ProgressEvent);
        if ((payload as ProgressEvent).percent === 100) resolveIndexed();
      },
    });
    return { backend, events, indexed };
  };

  it('starts the worker only once the streams overview is answered, so the first screen does not compete with it', async () => {
    const repo = twoStreams();
    const { backend, events, indexed } = backendWithProgress();
    await backend.handlers['repo:open']({ dir: repo.dir });
    // Well inside the fallback delay: the open's first screen has not been answered yet.
    await new Promise((r) => setTimeout(r, INDEX_START_FALLBACK_MS / 4));
    expect(events).toEqual([]);
    const overview = await backend.handlers['streams:list']();
    expect(overview.map((s) => s.name).sort()).toEqual(['stable', 'testing-devel']);
    await indexed;
    expect(events.some((e) => e.phase.startsWith('Indexing history: testing-devel'))).toBe(true);
    backend.dispose();
  });

  it('answers a history query made right after open, the worker building the index it waits for', async () => {
    const repo = twoStreams();
    const { backend, indexed } = backendWithProgress();
    await backend.handlers['repo:open']({ dir: repo.dir });
    const history = await backend.handlers['history:package']({ name: 'a', arch: 'x86_64' });
    expect(history.lanes.map((l) => l.stream).sort()).toEqual(['stable', 'testing-devel']);
    expect(history.lanes.find((l) => l.stream === 'testing-devel')?.commit.length).toBe(5);
    // The open's own job still runs to the end.
    await indexed;
    const heads = fs.readdirSync(path.join(repo.gitdir, 'lockstep', 'history3')).filter((n) => n.endsWith('.head'));
    expect(heads).toHaveLength(2);
    backend.dispose();
  });
  it('indexes the stream a query waits for next, ahead of the streams queued before it', async () => {
    const repo = createRepo();
    for (const s of ['s1', 's2', 's3', 's4']) {
      repo.branch(s, 'HEAD');
      for (let i = 0; i < 3; i++) repo.commit(`${s}: bump ${i}`, { 'manifest-lock.x86_64.json': lockfileJson({ a: `${s.slice(1)}.${i}-1.fc40.x86_64` }) });
    }
    const order: string[] = [];
    let asked: Promise<void> | null = null;
    let answeredAfter: string[] = [];
    const indexer: BackgroundIndexer = new BackgroundIndexer(repo.dir, 'origin', (p) => {
      const stream = p.phase.replace('Indexing history: ', '');
      if (order.at(-1) !== stream) order.push(stream);
      // s1 is being indexed: a query for s4, last in the queue, comes in.
      asked ??= indexer.build('s4').then(() => void (answeredAfter = [...order]));
    });
    expect(await indexer.index(['s1', 's2', 's3', 's4'])).toBe(4);
    await asked;
    expect(order).toEqual(['s1', 's4', 's2', 's3']);
    expect(answeredAfter).toEqual(['s1', 's4']);
  });
});
