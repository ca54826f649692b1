/**
 * The last mile and the way back (SPEC §2.9–2.11), through the CLI against a real git
 * http-backend with basic auth: one draft per request, drafts of one stream touching the same
 * package flagged, a branch moved by hand never pushed until adopted, a conflict redrafted in
 * place and re-pushed to the same remote branch under the lease, a remote branch deleted with
 * the draft only while it holds what was pushed, and a re-push that never reports success for
 * a remote branch someone replaced.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync } from '../../helpers/cli';
import type { GitServer } from '../../helpers/git-server';
import { serveAndClone, type ServedRepo } from '../../helpers/served-repo';
import { createRepo, lockfileJson, overridesYaml, type RepoBuilder } from '../../helpers/repo-builder';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

const REASON = 'https://github.com/coreos/fedora-coreos-tracker/issues/1';
const AUTH = { username: 'ada', password: 'push-token' };

interface DraftRow {
  branch: string;
  state: string;
  head: string;
  edited: boolean;
  conflicts_with: string[];
  allowed: string[];
  push: { remote_branch: string; commit: string } | null;
}

describe('the last mile', () => {
  let upstream: RepoBuilder;
  let served: ServedRepo;
  let server: GitServer;
  let clone: string;
  const env = (extra: Record<string, string> = {}) => served.env(extra);
  const cli = (args: string[], extra: Record<string, string> = {}) => runCliAsync([...args, '--repo', clone], { env: env(extra) });
  const drafts = async (): Promise<DraftRow[]> => JSON.parse((await cli(['drafts', '--json'])).stdout) as DraftRow[];
  const serverGit = (...args: string[]) => served.serverGit(...args);
  const serverRef = (branch: string) => served.serverRef(branch);
  const localRef = (branch: string) => execFileSync('git', ['-C', clone, 'rev-parse', branch]).toString().trim();
  const localBranches = () => execFileSync('git', ['-C', clone, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/lockstep']).toString().trim().split('\n').filter(Boolean).sort();
  /** Someone else changes the stream on the server; the clone fetches it. */
  const moveUpstream = async (stream: string, files: Record<string, string>, subject: string) => {
    upstream.checkout(stream);
    upstream.commit(subject, files);
    execFileSync('git', ['-C', upstream.dir, 'push', '-q', served.bare, stream]);
    expect((await cli(['fetch'])).status).toBe(0);
  };

  beforeAll(async () => {
    upstream = createRepo();
    upstream.branch('testing-devel');
    upstream.commit('lockfiles: import', {
      'manifest-lock.x86_64.json': lockfileJson({
        kernel: { evra: '6.10.1-200.fc40.x86_64', sourcerpm: 'kernel' },
        podman: { evra: '5:5.2.5-1.fc40.x86_64', sourcerpm: 'podman' },
        zincati: { evra: '0.0.27-1.fc40.x86_64', sourcerpm: 'rust-zincati' },
      }),
      'manifest-lock.overrides.yaml': overridesYaml({}),
    });
    upstream.branch('stable', 'testing-devel');
    upstream.branch('testing', 'testing-devel');
    served = await serveAndClone(upstream, { auth: AUTH });
    ({ server, clone } = served);
  });
  afterAll(async () => {
    await server.stop();
    cleanupTempDirs();
  });

  it('shows transfer progress only on a terminal, unless --progress asks for it', async () => {
    const quiet = await runCliAsync(['clone', server.repoUrl('config.git'), path.join(makeTempDir(), 'quiet')], { env: env() });
    expect(quiet.status).toBe(0);
    expect(quiet.stderr).toBe('');
    const loud = await runCliAsync(['clone', server.repoUrl('config.git'), path.join(makeTempDir(), 'loud'), '--progress'], { env: env() });
    expect(loud.status).toBe(0);
    expect(loud.stderr).toMatch(/^Downloading\n/);
    const fetched = await cli(['fetch']);
    expect(fetched.stderr).toBe('');
  });

  it('saves the same request on the same base once: the second save answers the first draft', async () => {
    const args = ['pin', 'kernel', '6.10.0-200.fc40', '--stream', 'testing', '--type', 'pin', '--reason', REASON];
    const first = await cli(args);
    const second = await cli(args);
    expect(first.status).toBe(0);
    expect(second.status).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(localBranches().filter((b) => b.startsWith('lockstep/testing/'))).toEqual([first.stdout.trim()]);
    // Another request (another reason) is another draft.
    const other = await cli([...args.slice(0, -1), `${REASON}#2`]);
    expect(other.stdout.trim()).toBe(`${first.stdout.trim()}-2`);
    for (const b of [first.stdout.trim(), other.stdout.trim()]) expect((await cli(['discard', b])).status).toBe(0);
  });

  it('flags two drafts of one stream touching the same package, on both, and no other', async () => {
    const pin = (await cli(['pin', 'podman', '5:5.2.4-1.fc40', '--stream', 'testing', '--type', 'pin', '--reason', REASON])).stdout.trim();
    const fast = (await cli(['pin', 'podman', '5:5.2.6-1.fc40', '--stream', 'testing', '--type', 'fast-track', '--reason', REASON, '--bodhi', 'https://bodhi.fedoraproject.org/updates/FEDORA-2024-1'])).stdout.trim();
    const elsewhere = (await cli(['pin', 'podman', '5:5.2.4-1.fc40', '--stream', 'testing-devel', '--type', 'pin', '--reason', REASON])).stdout.trim();
    const rows = await drafts();
    const row = (b: string) => rows.find((d) => d.branch === b)!;
    expect(row(pin).conflicts_with).toEqual([fast]);
    expect(row(fast).conflicts_with).toEqual([pin]);
    expect(row(elsewhere).conflicts_with).toEqual([]);
    const table = await cli(['drafts']);
    expect(table.stdout).toContain(`conflicts with ${fast}`);
    for (const b of [pin, fast, elsewhere]) expect((await cli(['discard', b])).status).toBe(0);
  });

  it('shows a branch moved by hand as edited, never pushes it, and pushes it once adopted', async () => {
    const branch = (await cli(['pin', 'kernel', '6.9.0-200.fc40', '--stream', 'stable', '--type', 'pin', '--reason', REASON])).stdout.trim();
    const written = localRef(branch);
    // Reset by hand to another stream's head: not what Lockstep wrote.
    execFileSync('git', ['-C', clone, 'branch', '-f', branch, 'origin/testing-devel']);
    const row = (await drafts()).find((d) => d.branch === branch)!;
    expect(row.state).toBe('edited');
    expect(row.edited).toBe(true);
    expect(row.allowed).toEqual(['adopt', 'discard']);
    const refused = await cli(['push', branch]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/changed outside Lockstep.*adopt that commit as the draft, or discard it/);
    expect(serverRef('override-stable-kernel-6.9.0-200.fc40')).toBeNull();
    // Amended by hand on the stream's head instead: adopted, it is the draft that goes out.
    execFileSync('git', ['-C', clone, 'branch', '-f', branch, written]);
    expect((await drafts()).find((d) => d.branch === branch)!.edited).toBe(false);
    const amended = execFileSync('git', ['-C', clone, 'commit-tree', `${written}^{tree}`, '-p', `${written}^`, '-m', 'overrides: pin kernel-6.9.0-200.fc40 (amended)'], {
      env: { ...process.env, ...env(), GIT_COMMITTER_NAME: 'Ada', GIT_COMMITTER_EMAIL: 'ada@example.org' },
    })
      .toString()
      .trim();
    execFileSync('git', ['-C', clone, 'branch', '-f', branch, amended]);
    expect((await cli(['adopt', branch])).status).toBe(0);
    const adopted = (await drafts()).find((d) => d.branch === branch)!;
    expect(adopted.state).toBe('draft');
    expect(adopted.head).toBe(amended);
    const pushed = await cli(['push', branch]);
    expect(pushed.stderr).toBe('');
    expect(pushed.status).toBe(0);
    expect(serverRef('override-stable-kernel-6.9.0-200.fc40')).toBe(amended);
  });

  it('redrafts a conflicting pushed draft in place: same branch, and the re-push moves the same remote branch', async () => {
    const branch = (await cli(['pin', 'zincati', '0.0.26-1.fc40', '--stream', 'testing-devel', '--type', 'pin', '--reason', REASON])).stdout.trim();
    expect((await cli(['push', branch])).status).toBe(0);
    const remoteBranch = 'override-testing-devel-rust-zincati-0.0.26-1.fc40';
    const firstPush = serverRef(remoteBranch);
    expect(firstPush).toBe(localRef(branch));
    // Someone else overrides zincati on the stream meanwhile.
    await moveUpstream(
      'testing-devel',
      { 'manifest-lock.overrides.yaml': overridesYaml({ zincati: { evr: '0.0.28-1.fc40', type: 'fast-track', bodhi: 'https://bodhi.fedoraproject.org/updates/FEDORA-2024-9', reason: REASON } }) },
      'overrides: fast-track rust-zincati-0.0.28-1.fc40',
    );
    const conflict = await cli(['rebase', branch]);
    expect(conflict.status).toBe(1);
    expect(conflict.stderr).toMatch(/zincati was overridden on testing-devel.*lockstep rebase .* --redraft/);
    const redraft = await cli(['rebase', branch, '--redraft', '--json']);
    expect(redraft.stderr).toBe('');
    expect(JSON.parse(redraft.stdout)).toMatchObject({ status: 'rebased', branch });
    const text = execFileSync('git', ['-C', clone, 'show', `${branch}:manifest-lock.overrides.yaml`]).toString();
    expect(text).toMatch(/zincati:\n\s+evr: 0\.0\.26-1\.fc40\n\s+metadata:\n\s+reason: .*\n\s+type: pin/);
    expect(execFileSync('git', ['-C', clone, 'rev-parse', `${branch}^`]).toString().trim()).toBe(localRef('origin/testing-devel'));
    const row = (await drafts()).find((d) => d.branch === branch)!;
    expect(row.push?.remote_branch).toBe(remoteBranch);
    const repush = await cli(['push', branch]);
    expect(repush.stderr).toBe('');
    expect(repush.status).toBe(0);
    expect(repush.stdout.split('\n')[0]).toBe(remoteBranch);
    expect(serverRef(remoteBranch)).toBe(localRef(branch));
    expect(serverRef(remoteBranch)).not.toBe(firstPush);
  });

  it('never reports success for a pushed draft whose remote branch someone replaced', async () => {
    const branch = (await cli(['pin', 'kernel', '6.8.0-200.fc40', '--stream', 'stable', '--type', 'pin', '--reason', REASON])).stdout.trim();
    expect((await cli(['push', branch])).status).toBe(0);
    const remoteBranch = 'override-stable-kernel-6.8.0-200.fc40';
    const mine = localRef(branch);
    serverGit('update-ref', `refs/heads/${remoteBranch}`, serverGit('rev-parse', 'refs/heads/testing'));
    const other = serverRef(remoteBranch)!;
    const r = await cli(['push', branch]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(other);
    expect(r.stderr).toContain(mine);
    expect(r.stderr).not.toMatch(/^override-/m);
    expect(serverRef(remoteBranch)).toBe(other);
    // Deleted there instead: pushed again as a new branch.
    serverGit('update-ref', '-d', `refs/heads/${remoteBranch}`);
    expect((await cli(['push', branch])).status).toBe(0);
    expect(serverRef(remoteBranch)).toBe(mine);
  });

  it('discards with the remote branch under a lease, and keeps both when someone else moved it', async () => {
    const kept = (await cli(['pin', 'kernel', '6.7.0-200.fc40', '--stream', 'stable', '--type', 'pin', '--reason', REASON])).stdout.trim();
    expect((await cli(['push', kept])).status).toBe(0);
    const keptRemote = 'override-stable-kernel-6.7.0-200.fc40';
    serverGit('update-ref', `refs/heads/${keptRemote}`, serverGit('rev-parse', 'refs/heads/testing'));
    const moved = serverRef(keptRemote);
    const refused = await cli(['discard', kept, '--delete-remote']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/someone else pushed there, so it is not deleted/);
    expect(serverRef(keptRemote)).toBe(moved);
    expect((await drafts()).some((d) => d.branch === kept)).toBe(true);

    const gone = (await cli(['pin', 'kernel', '6.6.0-200.fc40', '--stream', 'stable', '--type', 'pin', '--reason', REASON])).stdout.trim();
    expect((await cli(['push', gone])).status).toBe(0);
    expect(serverRef('override-stable-kernel-6.6.0-200.fc40')).not.toBeNull();
    const ok = await cli(['discard', gone, '--delete-remote']);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(serverRef('override-stable-kernel-6.6.0-200.fc40')).toBeNull();
    expect(localBranches()).not.toContain(gone);

    const never = (await cli(['pin', 'kernel', '6.5.0-200.fc40', '--stream', 'stable', '--type', 'pin', '--reason', REASON])).stdout.trim();
    const notPushed = await cli(['discard', never, '--delete-remote']);
    expect(notPushed.status).toBe(2);
    expect(localBranches()).toContain(never);
  });
});

describe('draft names and dates that would write something wrong', () => {
  let upstream: RepoBuilder;
  let clone: string;
  const env = { GIT_AUTHOR_NAME: 'Ada', GIT_AUTHOR_EMAIL: 'ada@example.org', GIT_CONFIG_NOSYSTEM: '1' };
  const cli = (args: string[], extra: Record<string, string> = {}) => runCliAsync([...args, '--repo', clone], { env: { ...env, ...extra } });
  const refs = () => execFileSync('git', ['-C', clone, 'for-each-ref']).toString();
  const objects = () => execFileSync('git', ['-C', clone, 'count-objects', '-v']).toString();

  beforeAll(() => {
    upstream = createRepo();
    upstream.branch('testing-devel');
    upstream.commit('lockfiles: import', {
      'manifest-lock.x86_64.json': lockfileJson({ kernel: { evra: '6.10.1-200.fc40.x86_64', sourcerpm: 'kernel' } }),
      'manifest-lock.overrides.yaml': overridesYaml({}),
    });
    upstream.branch('stable', 'testing-devel');
    clone = path.join(makeTempDir(), 'clone');
    execFileSync('git', ['clone', '-q', upstream.dir, clone]);
    execFileSync('git', ['-C', clone, 'tag', 'v1']);
  });
  afterAll(() => cleanupTempDirs());

  const pin = ['pin', 'kernel', '6.10.0-200.fc40', '--stream', 'stable', '--type', 'pin', '--reason', REASON];

  it.each([
    ['origin/stable', /shadow the remote origin's branches/],
    ['origin', /shadow the remote origin's branches/],
    ['v1', /is the name of a tag/],
    ['bad..name', /not a valid branch name/],
  ])('refuses the draft name %s before anything is written', async (name, why) => {
    const before = [refs(), objects()];
    const r = await cli([...pin, '--branch', name]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(why);
    expect([refs(), objects()]).toEqual(before);
  });

  it.each([
    ['1 +2500', /no time zone/],
    ['1 +0popcorn', /not a date Lockstep reads/],
    ['99999999999999999999 +0000', /past the dates a commit can carry/],
    ['1969-12-31T23:00:00Z', /before 1970/],
  ])('refuses GIT_AUTHOR_DATE=%s before anything is written', async (date, why) => {
    const before = [refs(), objects()];
    const r = await cli(pin, { GIT_AUTHOR_DATE: date });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(why);
    expect(r.stderr).toContain('GIT_AUTHOR_DATE');
    expect([refs(), objects()]).toEqual(before);
  });

  it('lists a draft whose record cannot be read, keeps it through repair, and discards it', async () => {
    const branch = (await cli(pin)).stdout.trim();
    const file = path.join(clone, '.git', 'lockstep', 'drafts', `${encodeURIComponent(branch)}.json`);
    fs.writeFileSync(file, '{"branch": "trunc');
    const text = await cli(['drafts']);
    expect(text.status).toBe(0);
    expect(text.stderr).toContain(`draft ${branch}: its record`);
    expect(text.stdout).toMatch(new RegExp(`${branch}.*unreadable record`));
    const rows = JSON.parse((await cli(['drafts', '--json'])).stdout) as DraftRow[];
    expect(rows.find((d) => d.branch === branch)?.state).toBe('unreadable');
    // Still there after the repair every command runs.
    expect(fs.existsSync(file)).toBe(true);
    expect((await cli(['discard', branch])).status).toBe(0);
    expect(fs.existsSync(file)).toBe(false);
    expect(refs()).not.toContain(branch);
  });
});

describe('a draft replacing an override', () => {
  let clone: string;
  const BODHI = 'https://bodhi.fedoraproject.org/updates/FEDORA-2024-77';
  const OLD_REASON = 'https://github.com/coreos/fedora-coreos-tracker/issues/77';
  const env = { GIT_AUTHOR_NAME: 'Ada', GIT_AUTHOR_EMAIL: 'ada@example.org', GIT_CONFIG_NOSYSTEM: '1' };
  const cli = (args: string[]) => runCliAsync([...args, '--repo', clone], { env });

  beforeAll(() => {
    const up = createRepo();
    up.branch('stable');
    up.commit('lockfiles: import', {
      'manifest-lock.x86_64.json': lockfileJson({ podman: { evra: '5:5.2.6-1.fc40.x86_64', sourcerpm: 'podman' } }),
      'manifest-lock.overrides.yaml': overridesYaml({ podman: { evr: '5:5.2.6-1.fc40', type: 'fast-track', bodhi: BODHI, reason: OLD_REASON } }),
    });
    clone = path.join(makeTempDir(), 'clone');
    execFileSync('git', ['clone', '-q', up.dir, clone]);
  });
  afterAll(() => cleanupTempDirs());

  it('says what it replaces in its notes and commit body, and keeps the old reason when asked', async () => {
    const r = await cli(['pin', 'podman', '5:5.2.5-1.fc40', '--stream', 'stable', '--type', 'pin', '--keep-reason', '--dry-run', '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`note: replaces the fast-track podman 5:5.2.6-1.fc40 in manifest-lock.overrides.yaml (Bodhi: ${BODHI}, reason: ${OLD_REASON}); its reason is kept`);
    const out = JSON.parse(r.stdout) as { message: string; findings: unknown[] };
    expect(out.message).toBe(`overrides: pin podman-5.2.5-1.fc40\n\nBodhi: ${BODHI}\nSee: ${OLD_REASON}\nReplaces: fast-track podman 5:5.2.6-1.fc40 in manifest-lock.overrides.yaml (Bodhi: ${BODHI}, reason: ${OLD_REASON})\n`);
    // Without --keep-reason a pin needs its own reason; with one, the replacement is still said.
    const bare = await cli(['pin', 'podman', '5:5.2.5-1.fc40', '--stream', 'stable', '--type', 'pin', '--dry-run']);
    expect(bare.status).toBe(2);
    expect(bare.stderr).toMatch(/a pin must carry metadata.reason/);
    const own = await cli(['pin', 'podman', '5:5.2.5-1.fc40', '--stream', 'stable', '--type', 'pin', '--reason', REASON, '--dry-run', '--json']);
    expect((JSON.parse(own.stdout) as { message: string }).message).toContain(`See: ${REASON}\nReplaces: fast-track podman 5:5.2.6-1.fc40`);
  });
});
