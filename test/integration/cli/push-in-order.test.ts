/**
 * `lockstep push A B C --in-order` against a real git server and a GitHub stand-in whose
 * verdicts the test sets before the run: green pushes all in order; red on the first pushes
 * nothing more and says why per draft, with a failing exit status.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startForge, type ForgeStandIn } from '../../helpers/forge-stand-in';
import { runCliAsync } from '../../helpers/cli';
import { startGitServer, type GitServer } from '../../helpers/git-server';
import { createRepo, lockfileJson, overridesYaml } from '../../helpers/repo-builder';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

const gitAsync = promisify(execFile);
const REASON = 'https://github.com/coreos/fedora-coreos-tracker/issues/1';

describe('lockstep push --in-order', () => {
  let gitServer: GitServer;
  let forge: ForgeStandIn;
  let clone: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    const upstream = createRepo();
    upstream.branch('testing-devel');
    upstream.commit('lockfiles: import', {
      'manifest-lock.x86_64.json': lockfileJson(Object.fromEntries(['a', 'b'].map((n) => [n, { evra: `1.0-1.fc40.x86_64`, sourcerpm: n }]))),
      'manifest-lock.overrides.yaml': overridesYaml({}),
    });
    upstream.branch('next-devel', 'testing-devel');
    // Its own head: drafts on the two streams are different commits (checks are told apart by commit).
    upstream.commit('lockfiles: bump', { 'manifest-lock.x86_64.json': lockfileJson(Object.fromEntries([...['a', 'b'], 'e'].map((n) => [n, { evra: `1.0-1.fc40.x86_64`, sourcerpm: n }]))) });
    const root = makeTempDir();
    upstream.bareClone(path.join(root, 'coreos', 'fedora-coreos-config.git'));
    gitServer = await startGitServer({ root });
    forge = await startForge();
    clone = path.join(makeTempDir(), 'clone');
    await gitAsync('git', ['clone', '-q', gitServer.repoUrl('coreos/fedora-coreos-config.git'), clone]);
    env = {
      GIT_AUTHOR_NAME: 'Ada',
      GIT_AUTHOR_EMAIL: 'ada@example.org',
      LOCKSTEP_DATA_DIR: makeTempDir(),
      LOCKSTEP_GITHUB_TOKEN: 'test-token',
      LOCKSTEP_GITHUB_API_URL: forge.url,
    };
  });
  afterAll(async () => {
    await gitServer.stop();
    await forge.stop();
    cleanupTempDirs();
  });

  const cli = (args: string[]) => runCliAsync([...args, '--repo', clone], { env });
  async function pin(stream: string, name: string, evr: string): Promise<{ branch: string; head: string }> {
    const r = await cli(['pin', name, evr, '--stream', stream, '--type', 'pin', '--reason', REASON, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { branch: string; commit: string };
    return { branch: j.branch, head: j.commit };
  }

  it('green checks: every draft pushed, in order, each after the previous one passed', async () => {
    const d = [await pin('testing-devel', 'a', '0.9-1.fc40'), await pin('next-devel', 'a', '0.9-1.fc40')];
    for (const x of d) forge.setChecks(x.head, 'success');
    const r = await cli(['push', d[0].branch, d[1].branch, '--in-order']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${d[0].branch}\tchecks passed\n${d[1].branch}\tchecks passed\n`);
    const log = r.stderr.split('\n');
    const idx = (s: string) => log.indexOf(`lockstep: ${s}`);
    expect(idx(`${d[1].branch}: queued (after ${d[0].branch}: waits for its checks to pass)`)).toBeGreaterThanOrEqual(0);
    expect(idx(`${d[1].branch}: pushing`)).toBeGreaterThan(idx(`${d[0].branch}: checks passed`));
    expect(forge.pulls.map((p) => p.base)).toEqual(['testing-devel', 'next-devel']);
  }, 60_000);

  it('a red check on the first: the rest are not pushed, each says why, exit 1', async () => {
    const d = [await pin('testing-devel', 'b', '0.9-1.fc40'), await pin('next-devel', 'b', '0.9-1.fc40')];
    forge.setChecks(d[0].head, 'failure');
    const pulls = forge.pulls.length;
    const r = await cli(['push', d[0].branch, d[1].branch, '--in-order', '--json']);
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as { branch: string; state: string; state_detail: string }[];
    expect(out.map((o) => o.state)).toEqual(['failed', 'cancelled']);
    expect(out[1].state_detail).toBe(`cancelled: the checks of ${d[0].branch} failed (ci/jenkins), so this draft was not pushed`);
    expect(r.stderr).toContain('lockstep: 2 of 2 drafts did not pass');
    expect(forge.pulls.length).toBe(pulls + 1);
    // Several drafts without --in-order is a usage error.
    const u = await cli(['push', d[0].branch, d[1].branch]);
    expect(u.status).toBe(2);
    expect(u.stderr).toContain('--in-order');
  }, 60_000);
});
