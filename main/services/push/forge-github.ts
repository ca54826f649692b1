/**
 * The GitHub side of CI gating: create the PR with a token, and read a commit's checks
 * (commit statuses and check runs) to a verdict. Behind an interface so other forges can come.
 */
import { Octokit } from '@octokit/rest';
import { AppError } from '../../../shared/errors';
import type { ForgeRepo } from '../../../shared/forge';

export type CheckVerdict = 'pending' | 'passed' | 'failed';

export interface ChecksSummary {
  verdict: CheckVerdict;
  total: number;
  failing: string[];
  pending: string[];
}

export interface ForgeClient {
  createPullRequest(p: { base: ForgeRepo; head: ForgeRepo; branch: string; target: string; title: string; body: string }): Promise<string>;
  checks(repo: ForgeRepo, sha: string): Promise<ChecksSummary>;
}

/** Maps REST failures to errors a user can act on; rate limits say when to retry. */
function forgeError(err: unknown, what: string): AppError {
  const e = err as { status?: number; message?: string; response?: { headers?: Record<string, string> } };
  const headers = e.response?.headers ?? {};
  if ((e.status === 403 || e.status === 429) && (headers['x-ratelimit-remaining'] === '0' || headers['retry-after'])) {
    const reset = headers['retry-after'] ? Date.now() + Number(headers['retry-after']) * 1000 : Number(headers['x-ratelimit-reset'] ?? 0) * 1000;
    return new AppError('network', `${what}: GitHub rate limit reached; retrying after ${new Date(reset).toISOString()}`, { retryAt: reset });
  }
  if (e.status === 401) return new AppError('auth', `${what}: GitHub refused the token (HTTP 401); set a token with repo access`);
  if (e.status && e.status >= 500) return new AppError('network', `${what}: GitHub answered HTTP ${e.status}; retrying later`);
  if (e.status === 422) return new AppError('conflict', `${what}: ${e.message ?? 'unprocessable'}`);
  return new AppError(e.status ? 'bad-input' : 'network', `${what}: ${e.message ?? String(err)}`);
}

export function githubClient(opts: { token?: string; baseUrl?: string }): ForgeClient {
  const octokit = new Octokit({ auth: opts.token, baseUrl: opts.baseUrl, request: { retries: 0 } });
  return {
    async createPullRequest({ base, head, branch, target, title, body }) {
      try {
        const r = await octokit.pulls.create({
          owner: base.owner,
          repo: base.name,
          base: target,
          head: base.web === head.web ? branch : `${head.owner}:${branch}`,
          title,
          body,
          maintainer_can_modify: true,
        });
        return r.data.html_url;
      } catch (err) {
        throw forgeError(err, 'creating the pull request');
      }
    },
    async checks(repo, sha) {
      try {
        const [statuses, runs] = await Promise.all([
          octokit.repos.getCombinedStatusForRef({ owner: repo.owner, repo: repo.name, ref: sha }),
          octokit.checks.listForRef({ owner: repo.owner, repo: repo.name, ref: sha, per_page: 100 }),
        ]);
        const failing: string[] = [];
        const pending: string[] = [];
        for (const s of statuses.data.statuses) {
          if (s.state === 'failure' || s.state === 'error') failing.push(s.context);
          else if (s.state === 'pending') pending.push(s.context);
        }
        for (const c of runs.data.check_runs) {
          if (c.status !== 'completed') pending.push(c.name);
          else if (!['success', 'neutral', 'skipped'].includes(c.conclusion ?? '')) failing.push(c.name);
        }
        const total = statuses.data.statuses.length + runs.data.check_runs.length;
        const verdict: CheckVerdict = failing.length ? 'failed' : pending.length || total === 0 ? 'pending' : 'passed';
        return { verdict, total, failing, pending };
      } catch (err) {
        throw forgeError(err, `reading the checks of ${sha.slice(0, 12)}`);
      }
    },
  };
}

/**
 * The forge client the queue uses, from the environment: a GitHub token
 * (`LOCKSTEP_GITHUB_TOKEN` or `GITHUB_TOKEN`) for github.com remotes, or for any remote when
 * `LOCKSTEP_GITHUB_API_URL` names the API (GitHub Enterprise, or a stand-in in tests).
 */
export function forgeFromEnv(env: NodeJS.ProcessEnv = process.env): (remoteUrl: string) => ForgeClient | null {
  const token = env.LOCKSTEP_GITHUB_TOKEN ?? env.GITHUB_TOKEN;
  const baseUrl = env.LOCKSTEP_GITHUB_API_URL || undefined;
  return (url) => (token && (baseUrl || /github\.com/.test(url)) ? githubClient({ token, baseUrl }) : null);
}
