import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../../shared/api/contract';
import { createBackend } from '../../../main/services/app-api';
import { workerScript } from '../../../main/services/background-index';
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
});
