/**
 * The indexing chip's share of the whole job: it only grows, each stream's end counts that
 * stream as done, and a job over streams already indexed (nothing to walk) still reads as done
 * stream by stream, never "Indexing testing-devel 0%".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobProgress } from '../../../main/services/history/background';
import { buildAllIndexes } from '../../../main/services/history/worker';
import { createRepo, lockfileJson, type RepoBuilder } from '../../helpers/repo-builder';
import { cleanupTempDirs } from '../../helpers/tmp';

const STREAMS = ['testing-devel', 'testing', 'stable'];

async function shares(dir: string): Promise<{ stream: string; percent: number }[]> {
  const seen: { stream: string; percent: number }[] = [];
  await buildAllIndexes(dir, {
    streams: STREAMS,
    onProgress: (m) => {
      const p = jobProgress(m);
      seen.push({ stream: p.phase.replace('Indexing history: ', ''), percent: Math.round((p.loaded / p.total) * 100) });
    },
  });
  return seen;
}

describe('indexing progress', () => {
  let repo: RepoBuilder;
  beforeAll(() => {
    repo = createRepo();
    repo.branch('testing-devel');
    for (let i = 1; i <= 5; i++) repo.commit(`lockfiles: bump ${i}`, { 'manifest-lock.x86_64.json': lockfileJson({ podman: `5:5.2.${i}-1.fc40.x86_64` }) });
    repo.branch('testing', 'HEAD~1');
    repo.branch('stable', 'HEAD~3');
  });
  afterAll(() => cleanupTempDirs());

  it('grows to 100%, each stream done at its end, on a first build and on one with nothing to do', async () => {
    for (const run of ['first', 'again']) {
      const seen = await shares(repo.dir);
      for (let i = 1; i < seen.length; i++) expect(seen[i].percent, `${run}: ${JSON.stringify(seen)}`).toBeGreaterThanOrEqual(seen[i - 1].percent);
      // The last report of each stream counts it whole.
      const last = STREAMS.map((s) => seen.filter((x) => x.stream === s).at(-1)?.percent);
      expect(last, run).toEqual([33, 67, 100]);
    }
  });
});
