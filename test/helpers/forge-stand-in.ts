/**
 * A stand-in for the GitHub REST endpoints the push queue uses, on 127.0.0.1, whose checks
 * turn green or red only when the test says so (no timers: the test drives every verdict).
 * Shapes as GitHub documents them:
 * - POST /repos/{owner}/{repo}/pulls -> 201 with `number`, `html_url`
 *   (https://docs.github.com/en/rest/pulls/pulls#create-a-pull-request);
 * - GET /repos/{owner}/{repo}/commits/{ref}/status -> combined `state` and `statuses[]` with
 *   `context`, `state` pending|success|failure|error
 *   (https://docs.github.com/en/rest/commits/statuses#get-the-combined-status-for-a-specific-reference);
 * - GET /repos/{owner}/{repo}/commits/{ref}/check-runs -> `total_count`, `check_runs[]`
 *   (https://docs.github.com/en/rest/checks/runs#list-check-runs-for-a-git-reference).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type CheckState = 'pending' | 'success' | 'failure';

export interface ForgeStandIn {
  url: string;
  /** Pull requests created, in order. */
  pulls: { head: string; base: string; title: string }[];
  /** Commits whose checks were asked for, in order (one entry per poll). */
  polled: string[];
  /** Sets a commit's check (`ci/jenkins`); a commit not set is pending. */
  setChecks(sha: string, state: CheckState): void;
  /** Resolves at the next poll of the checks of `sha`. */
  polledOnce(sha: string): Promise<void>;
  stop(): Promise<void>;
}

export interface ForgeOptions {
  /** A private repo: without an Authorization header every call answers 404, as GitHub does. */
  private?: boolean;
  /** `x-ratelimit-remaining` on check answers (GitHub's rate-limit headers); reset 1 h from now. */
  rateRemaining?: number;
}

export async function startForge(opts: ForgeOptions = {}): Promise<ForgeStandIn & { authorized: boolean[] }> {
  const authorized: boolean[] = [];
  const reset = Math.floor(Date.now() / 1000) + 3600;
  const checks = new Map<string, CheckState>();
  const pulls: ForgeStandIn['pulls'] = [];
  const polled: string[] = [];
  const waiters: { sha: string; resolve: () => void }[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (status: number, body: unknown) => {
      const rate = opts.rateRemaining === undefined ? {} : { 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': String(opts.rateRemaining), 'x-ratelimit-reset': String(reset) };
      res.writeHead(status, { 'content-type': 'application/json', ...rate });
      res.end(JSON.stringify(body));
    };
    const withToken = /^(token|bearer) \S+/i.test(req.headers.authorization ?? '');
    authorized.push(withToken);
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      if (opts.private && !withToken) return send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
      if (req.method === 'POST' && !withToken) return send(401, { message: 'Requires authentication', documentation_url: 'https://docs.github.com/rest' });
      const pull = /^\/repos\/([^/]+)\/([^/]+)\/pulls$/.exec(url.pathname);
      if (req.method === 'POST' && pull) {
        const b = JSON.parse(body) as { head: string; base: string; title: string };
        pulls.push({ head: b.head, base: b.base, title: b.title });
        return send(201, { number: pulls.length, html_url: `https://github.com/${pull[1]}/${pull[2]}/pull/${pulls.length}` });
      }
      const status = /^\/repos\/[^/]+\/[^/]+\/commits\/([0-9a-f]{40})\/status$/.exec(url.pathname);
      if (status) {
        const sha = status[1];
        const state = checks.get(sha) ?? 'pending';
        polled.push(sha);
        send(200, { state, sha, total_count: 1, statuses: [{ context: 'ci/jenkins', state, description: `build ${state}` }] });
        for (const w of waiters.filter((x) => x.sha === sha)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
        return;
      }
      if (/^\/repos\/[^/]+\/[^/]+\/commits\/[0-9a-f]{40}\/check-runs$/.test(url.pathname)) return send(200, { total_count: 0, check_runs: [] });
      send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    authorized,
    pulls,
    polled,
    setChecks: (sha, state) => void checks.set(sha, state),
    polledOnce: (sha) => new Promise<void>((resolve) => waiters.push({ sha, resolve })),
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
