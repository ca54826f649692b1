import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCliAsync } from '../../helpers/cli';
import { createRepo, lockfileJson, overridesYaml } from '../../helpers/repo-builder';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

// A full disk at each write a pin starts (test/helpers/fault-fs.cjs fails that call with
// ENOSPC, as the kernel would): the CLI says "disk full at PATH" in one line, exits 1, and the
// repo is as before or holds the whole draft.
const REASON = 'https://github.com/coreos/fedora-coreos-tracker/issues/1';
const FAULT_FS = path.join(REPO_ROOT, 'test/helpers/fault-fs.cjs');

const lockstep = (args: string[], env: Record<string, string>) => runCliAsync(args, { env });

describe('a full disk during a pin', () => {
  let template: string;
  let home: string;
  beforeAll(() => {
    const up = createRepo();
    up.branch('testing-devel');
    up.commit('lockfiles: import', {
      'manifest-lock.x86_64.json': lockfileJson({ podman: { evra: '5:5.2.3-1.fc40.x86_64', sourcerpm: 'podman' } }),
      'manifest-lock.overrides.yaml': overridesYaml({}),
    });
    template = up.bareClone(path.join(makeTempDir(), 'template.git'));
    home = makeTempDir();
  });
  afterAll(() => cleanupTempDirs());

  // Fixed commit dates: the draft's commit id, and so whether its objects/xx/ folder must be
  // made, are the same in the counting run and in every faulted one.
  const env = (extra: Record<string, string>) => ({ GIT_AUTHOR_DATE: '1729166400 +0000', GIT_COMMITTER_DATE: '1729166400 +0000', GIT_AUTHOR_NAME: 'Ada', GIT_AUTHOR_EMAIL: 'ada@example.org', HOME: home, XDG_CONFIG_HOME: home, GIT_CONFIG_NOSYSTEM: '1', NODE_OPTIONS: `--require ${FAULT_FS}`, ...extra });
  const pinArgs = (repo: string) => ['pin', 'podman', '5:5.2.5-1.fc40', '--stream', 'testing-devel', '--type', 'pin', '--reason', REASON, '--repo', repo];
  const copy = () => {
    const dir = path.join(makeTempDir(), 'repo.git');
    execFileSync('git', ['clone', '-q', '--bare', template, dir]);
    return fs.realpathSync(dir);
  };

  it('says "disk full at PATH" at every write it starts, and leaves the old state or the new one', async () => {
    const probe = copy();
    const trace = path.join(makeTempDir(), 'trace');
    const ok = await lockstep(pinArgs(probe), env({ LOCKSTEP_FAULT_DIR: probe, LOCKSTEP_FAULT_TRACE: trace }));
    expect(ok.status).toBe(0);
    const points = fs
      .readFileSync(trace, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(' '))
      .filter(([, phase, op]) => phase === 'before' && /^(open|writeFile|appendFile|copyFile|mkdir)(Sync)?$/.test(op))
      .map(([n]) => Number(n));
    expect(points.length).toBeGreaterThan(3);
    for (const n of points) {
      const repo = copy();
      const r = await lockstep(pinArgs(repo), env({ LOCKSTEP_FAULT_DIR: repo, LOCKSTEP_FAULT_ENOSPC: String(n) }));
      const why = `ENOSPC at point ${n}: ${r.stderr}`;
      expect(r.status, why).toBe(1);
      expect(r.stderr.trim().split('\n'), why).toHaveLength(1);
      expect(r.stderr, why).toMatch(new RegExp(`^lockstep: (.*: )?disk full at ${repo.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/\\S+; free some space and retry\\n$`));
      execFileSync('git', ['-C', repo, 'fsck', '--no-dangling', '--no-progress'], { stdio: 'pipe' });
      // The next run repairs what was half written: no draft, or the whole one.
      const list = await lockstep(['drafts', '--json', '--repo', repo], env({}));
      expect(list.status, list.stderr).toBe(0);
      const drafts = JSON.parse(list.stdout) as { branch: string; head: string }[];
      expect(drafts.length, why).toBeLessThanOrEqual(1);
      for (const d of drafts) expect(execFileSync('git', ['-C', repo, 'rev-parse', `refs/heads/${d.branch}`]).toString().trim()).toBe(d.head);
      // And a retry with room works.
      const again = await lockstep(pinArgs(repo), env({}));
      expect(again.status, again.stderr).toBe(0);
    }
  }, 240_000);
});
