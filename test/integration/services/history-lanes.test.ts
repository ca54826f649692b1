/**
 * The history view's answer is read straight from the index (each commit once for every lane
 * listing it) and sent deduplicated: decoded, it must be the rows the per-entry reading gives,
 * folded one per commit with a source package's binaries in name order.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEntry, HistoryRequest, HistoryResult, HistoryRow } from '../../../shared/api/types';
import { decodeHistory } from '../../../shared/history/answer';
import { ConfigRepo } from '../../../main/services/review/config-repo';
import { HistoryIndex } from '../../../main/services/history/history-index';
import { historyLanes } from '../../../main/services/history/lanes';
import { buildAllIndexes } from '../../../main/services/history/worker';
import { fixtureBareRepo, HAVE_FIXTURE, warnIfNoFixture } from '../../helpers/fixture';
import { createRepo, lockfileJson, overridesYaml, type RepoBuilder } from '../../helpers/repo-builder';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

warnIfNoFixture('history lanes');

/** Lane entries (newest first, several per commit for a source package) as one row per commit. */
function foldEntries(entries: readonly (HistoryEntry & { name: string })[]): HistoryRow[] {
  const rows: HistoryRow[] = [];
  for (const e of entries) {
    let row = rows[rows.length - 1];
    if (row?.commit !== e.commit) {
      row = { commit: e.commit, date: e.date, subject: e.subject, author: e.author.name, changes: [] };
      if (e.merged?.length) row.merged = e.merged;
      rows.push(row);
    }
    row.changes.push({ name: e.name, evr: e.evr, arch: e.arch, ...(e.override ? { override: e.override } : {}) });
  }
  for (const r of rows) r.changes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return rows;
}

/** The same lanes read entry by entry (packageHistory / sourceHistory), as the view used to get them. */
async function entryByEntry(index: HistoryIndex, streams: readonly string[], req: HistoryRequest): Promise<HistoryResult> {
  const arch = req.arch ?? 'x86_64';
  let source: string | null = null;
  let binaries = [req.name];
  for (const stream of streams) {
    const src = await index.sourceHistory(stream, arch, req.name);
    if (src.binaries.length > 1 || (src.binaries.length === 1 && src.binaries[0] !== req.name)) {
      source = req.name;
      binaries = [...src.binaries];
      break;
    }
    const of = await index.sourceOf(stream, arch, req.name);
    if (of) {
      source = of;
      break;
    }
  }
  const lanes: HistoryResult['lanes'] = [];
  for (const stream of streams) {
    if (source === req.name) {
      const src = await index.sourceHistory(stream, arch, req.name);
      for (const b of src.binaries) if (!binaries.includes(b)) binaries.push(b);
      lanes.push({ stream, rows: foldEntries(src.entries) });
    } else {
      lanes.push({ stream, rows: foldEntries((await index.packageHistory(stream, arch, req.name)).map((e) => ({ ...e, name: req.name }))) });
    }
  }
  return { name: req.name, arch, binaries: binaries.sort(), source, lanes };
}

const kernel = (evr: string, binaries = ['kernel', 'kernel-core', 'kernel-modules']) => Object.fromEntries(binaries.map((b) => [b, { evra: `${evr}.x86_64`, sourcerpm: 'kernel' }]));

describe('history lanes on a built repo', () => {
  let repo: RepoBuilder;
  const STREAMS = ['testing-devel', 'stable', 'side'];

  beforeAll(() => {
    repo = createRepo();
    repo.branch('testing-devel');
    const lock = (pkgs: Record<string, string | { evra: string; sourcerpm?: string }>) => ({ 'manifest-lock.x86_64.json': lockfileJson({ podman: '5:5.2.4-1.fc40.x86_64', ...pkgs }) });
    repo.commit('lockfiles: import', { ...lock(kernel('6.1.1-100.fc40')), 'manifest-lock.overrides.yaml': overridesYaml({}) });
    repo.commit('lockfiles: kernel bump, one binary more', lock(kernel('6.1.2-100.fc40', ['kernel', 'kernel-core', 'kernel-modules', 'kernel-modules-core'])));
    repo.branch('stable', 'HEAD');
    repo.commit('stable: podman bump', lock({ ...kernel('6.1.2-100.fc40', ['kernel', 'kernel-core', 'kernel-modules', 'kernel-modules-core']), podman: '5:5.2.5-1.fc40.x86_64' }));
    repo.checkout('testing-devel');
    repo.branch('side', 'HEAD');
    repo.commit('overrides: pin kernel-core', { 'manifest-lock.overrides.yaml': overridesYaml({ 'kernel-core': { evr: '6.1.1-100.fc40', type: 'pin', reason: 'https://r' } }) });
    repo.commit('side: notes', { 'notes.txt': 'n\n' });
    repo.checkout('testing-devel');
    repo.merge('side', 'Merge pull request #9 from side');
    repo.commit('lockfiles: kernel bump, a binary dropped', { ...lock(kernel('6.1.3-100.fc40')), 'manifest-lock.overrides.yaml': overridesYaml({}) });
    repo.commit('lockfiles: kernel gone', lock({}));
  });
  afterAll(() => cleanupTempDirs());

  it.each(['kernel', 'kernel-core', 'podman', 'nosuch'])('%s: the rows the per-entry reading gives', async (name) => {
    const r = await ConfigRepo.open(repo.dir);
    try {
      const index = new HistoryIndex(r);
      const got = decodeHistory(JSON.parse(JSON.stringify(await historyLanes(index, STREAMS, { name }))));
      expect(got).toEqual(await entryByEntry(index, STREAMS, { name }));
    } finally {
      r.close();
    }
  });

  it('lists a source package one row per commit, binaries folded in name order, newest first, merges with what they brought in', async () => {
    const r = await ConfigRepo.open(repo.dir);
    try {
      const answer = await historyLanes(new HistoryIndex(r), STREAMS, { name: 'kernel' });
      const h = decodeHistory(answer);
      expect(h.binaries).toEqual(['kernel', 'kernel-core', 'kernel-modules', 'kernel-modules-core']);
      expect(h.source).toBe('kernel');
      const td = h.lanes[0].rows;
      expect(td.map((row) => row.subject)).toEqual([
        'lockfiles: kernel gone',
        'lockfiles: kernel bump, a binary dropped',
        'Merge pull request #9 from side',
        'lockfiles: kernel bump, one binary more',
        'lockfiles: import',
      ]);
      expect(td[1].changes.map((c) => `${c.name} ${c.evr}`)).toEqual(['kernel 6.1.3-100.fc40', 'kernel-core 6.1.3-100.fc40', 'kernel-modules 6.1.3-100.fc40', 'kernel-modules-core null']);
      expect(td[2].changes).toEqual([{ name: 'kernel-core', evr: '6.1.1-100.fc40', arch: 'x86_64', override: { type: 'pin', file: 'manifest-lock.overrides.yaml' } }]);
      expect(td[2].merged?.map((m) => m.subject)).toEqual(['side: notes', 'overrides: pin kernel-core']);
      // The commits the three lanes share are sent once.
      expect(answer.commits.map((c) => c.subject).filter((s) => s === 'lockfiles: import')).toHaveLength(1);
      expect(h.lanes.map((l) => l.rows.length)).toEqual([5, 2, 3]);
    } finally {
      r.close();
    }
  });
});

describe.skipIf(!HAVE_FIXTURE)('history lanes on the fixture', () => {
  it('answer every stream as the per-entry reading does', async () => {
    const gitdir = path.join(makeTempDir(), 'fcos.git');
    execFileSync('git', ['clone', '-q', '--bare', fixtureBareRepo(), gitdir]);
    await buildAllIndexes(gitdir);
    const r = await ConfigRepo.open(gitdir);
    try {
      const streams = (await r.branches()).map((b) => b.name);
      for (const [name, arch] of [
        ['kernel', 'x86_64'],
        ['kernel-core', 'aarch64'],
        ['podman', 'x86_64'],
        ['ignition', 's390x'],
      ]) {
        const index = new HistoryIndex(r);
        expect(decodeHistory(await historyLanes(index, streams, { name, arch }))).toEqual(await entryByEntry(index, streams, { name, arch }));
      }
    } finally {
      r.close();
    }
  }, 240_000);
});
