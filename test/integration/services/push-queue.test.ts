import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigRepo } from '../../../main/services/review/config-repo';
import { DraftStore } from '../../../main/services/drafts/store';
import { githubClient } from '../../../main/services/push/forge-github';
import { PushQueue } from '../../../main/services/push/queue';
import { startGitServer, type GitServer } from '../../helpers/git-server';
import { createRepo, lockfileJson, overridesYaml } from '../../helpers/repo-builder';
import { cleanupTempDirs, makeTempDir } from '../../helpers/tmp';

const gitAsync = promisify(execFile);
const REASON = 'https://github.com/coreos/fedora-coreos-tracker/issues/1';

/** A local stand-in for the GitHub REST endpoints used, shaped as GitHub's documentation says. */
function fakeGitHub() {
  const state = { pulls: [] as { head: string; base: string; title: string }[], statusCalls: 0, rateLimitOnce: true, verdict: 'success' as 'success' | 'failure' };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      if (req.method === 'POST' && url.pathname === '/repos/coreos/fedora-coreos-config/pulls') {
        const b = JSON.parse(body) as { head: string; base: string; title: string };
        state.pulls.push(b);
        return send(201, { number: state.pulls.length, html_url: `https://github.com/coreos/fedora-coreos-config/pull/${state.pulls.length}` });
      }
      const status = /^\/repos\/coreos\/fedora-coreos-config\/commits\/([0-9a-f]{40})\/status$/.exec(url.pathname);
      if (status) {
        state.statusCalls++;
        if (state.statusCalls === 1) return send(502, { message: 'Server Error' });
        if (state.rateLimitOnce && state.statusCalls === 2) {
          state.rateLimitOnce = false;
          return send(403, { message: 'API rate limit exceeded' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 1) });
        }
        const pending = state.statusCalls < 4;
        return send(200, { state: pending ? 'pending' : state.verdict, statuses: [{ context: 'ci/jenkins', state: pending ? 'pending' : state.verdict }] });
      }
      if (/\/check-runs$/.test(url.pathname)) return send(200, { total_count: 1, check_runs: [{ name: 'build', status: 'completed', conclusion: 'success' }] });
      send(404, { message: 'Not Found' });
    });
  });
  return { server, state };
}

describe('the push queue and CI watch', () => {
  let gitServer: GitServer;
  let gh: ReturnType<typeof fakeGitHub>;
  let ghUrl: string;
  let clone: string;
  let repo: ConfigRepo;

  beforeAll(async () => {
    process.env.GIT_AUTHOR_NAME = 'Ada';
    process.env.GIT_AUTHOR_EMAIL = 'ada@example.org';
    const upstream = createRepo();
    upstream.branch('testing-devel');
    upstream.commit('lockfiles: import', {
      'manifest-lock.x86_64.json': lockfileJson(Object.fromEntries(['a', 'b', 'c', 'd'].map((n) => [n, { evra: `1.0-1.fc40.x86_64`, sourcerpm: n }]))),
      'manifest-lock.overrides.yaml': overridesYaml({}),
    });
    const root = makeTempDir();
    upstream.bareClone(path.join(root, 'coreos', 'fedora-coreos-config.git'));
    gitServer = await startGitServer({ root });
    gh = fakeGitHub();
    await new Promise<void>((r) => gh.server.listen(0, '127.0.0.1', r));
    ghUrl = `http://127.0.0.1:${(gh.server.address() as AddressInfo).port}`;
    clone = path.join(makeTempDir(), 'clone');
    await gitAsync('git', ['clone', '-q', gitServer.repoUrl('coreos/fedora-coreos-config.git'), clone]);
    repo = await ConfigRepo.open(clone);
    const store = new DraftStore(repo);
    for (const n of ['a', 'b', 'c', 'd']) {
      await store.commit(await store.prepare({ stream: 'testing-devel', action: 'pin', requests: [{ name: n, evr: '0.9-1.fc40' }], reason: REASON }), { type: 'pin' });
    }
  });
  afterAll(async () => {
    repo.close();
    await gitServer.stop();
    gh.server.close();
    cleanupTempDirs();
  });

  it('pushes with a concurrency limit, creates PRs, and watches checks to a verdict through 5xx and rate limits', async () => {
    const states: [string, string][] = [];
    let pushing = 0;
    let maxPushing = 0;
    const queue = new PushQueue(repo, {
      concurrency: 2,
      backoffMs: 50,
      maxBackoffMs: 200,
      forge: () => githubClient({ token: 'test-token', baseUrl: ghUrl }),
      onChange: (branch, state) => {
        states.push([branch, state.kind]);
        if (state.kind === 'pushing') maxPushing = Math.max(maxPushing, ++pushing);
        if (state.kind === 'pushed' || state.kind === 'error') pushing--;
      },
    });
    const branches = (await new DraftStore(repo).list()).map((d) => d.branch).filter((b) => !b.includes('/d-'));
    expect(branches).toHaveLength(3);
    for (const b of branches) await queue.enqueue(b);
    await queue.idle();
    expect(maxPushing).toBe(2);
    const drafts = await new DraftStore(repo).list();
    for (const b of branches) {
      const d = drafts.find((x) => x.branch === b)!;
      expect(d.state.kind, b).toBe('passed');
      expect(d.push?.prUrl).toMatch(/^https:\/\/github.com\/coreos\/fedora-coreos-config\/pull\/\d$/);
      const seq = states.filter(([x]) => x === b).map(([, s]) => s);
      expect(seq.slice(0, 3)).toEqual(['queued', 'pushing', 'pushed']);
      expect(seq.slice(-2)).toEqual(['checks-pending', 'passed']);
    }
    expect(gh.state.pulls.map((p) => p.title).sort()).toEqual(['overrides: pin a-0.9-1.fc40', 'overrides: pin b-0.9-1.fc40', 'overrides: pin c-0.9-1.fc40']);
  }, 60_000);

  it('cancels a queued push, and picks pushed drafts up again after a restart', async () => {
    const d = (await new DraftStore(repo).list()).find((x) => x.branch.includes('/d-'))!;
    const queue = new PushQueue(repo, { concurrency: 1, backoffMs: 50 });
    // Block the single slot with a long push: the server holds the next receive-pack briefly.
    await queue.enqueue(d.branch);
    const second = (await new DraftStore(repo).list()).find((x) => x.branch.includes('/a-'))!;
    await new DraftStore(repo).update(second.branch, (r) => ({ ...r, state: { kind: 'draft' }, push: undefined }));
    await queue.enqueue(second.branch);
    await queue.cancel(second.branch);
    await queue.idle();
    const after = await new DraftStore(repo).list();
    expect(after.find((x) => x.branch === second.branch)?.state.kind).toBe('cancelled');
    expect(after.find((x) => x.branch === d.branch)?.state.kind).toBe('pushed');
    // "Restart": a new queue reconciles every pushed draft and watches its checks.
    gh.state.statusCalls = 3;
    const restarted = new PushQueue(repo, { backoffMs: 50, forge: () => githubClient({ token: 't', baseUrl: ghUrl }) });
    await restarted.reconcile();
    await restarted.idle();
    expect((await new DraftStore(repo).list()).find((x) => x.branch === d.branch)?.state.kind).toBe('passed');
  }, 60_000);

  it('puts a push back in the queue when the server dies mid-push, and retries', async () => {
    const store = new DraftStore(repo);
    const rec = await store.commit(await store.prepare({ stream: 'testing-devel', action: 'pin', requests: [{ name: 'b', evr: '0.8-1.fc40' }], reason: REASON }), { type: 'pin' });
    gitServer.failNext(/\/git-receive-pack$/, 10);
    const states: string[] = [];
    const queue = new PushQueue(repo, { backoffMs: 50, onChange: (b, s) => b === rec.branch && states.push(s.kind) });
    await queue.enqueue(rec.branch);
    await queue.idle();
    expect(states).toEqual(['queued', 'pushing', 'queued', 'pushing', 'pushed']);
  }, 60_000);
});
