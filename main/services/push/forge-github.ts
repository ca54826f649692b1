/**
 * The GitHub side of CI gating: create the PR with a token, and read a commit's checks
 * (commit statuses and check runs) to a verdict. Behind an interface so other forges can come.
 */
import { Octokit } from '@octokit/rest';
import { AppError } from '../../../shared/errors';
import type { ForgeRepo } from '../../../shared/forge';
import type { CredentialProvider } from '../../git/transport/credentials';

export type CheckVerdict = 'pending' | 'passed' | 'failed';

export interface ChecksSummary {
  verdict: CheckVerdict;
  total: number;
  failing: string[];
  pending: string[];
  /** When the rate limit is (nearly) spent: the next poll waits until then (ms since 1970). */
  retryAt?: number;
}

export interface ForgeClient {
  /** False without a token: checks of a public repo are read anonymously, a PR is opened from the forge's page. */
  readonly canCreatePullRequests: boolean;
  createPullRequest(p: { base: ForgeRepo; head: ForgeRepo; branch: string; target: string; title: string; body: string }): Promise<string>;
  checks(repo: ForgeRepo, sha: string): Promise<ChecksSummary>;
}

/** Polls left under which the watch waits for the rate limit's reset (GitHub allows 60 an hour anonymously). */
const RATE_RESERVE = 2;

/** Maps REST failures to errors a user can act on; rate limits say when to retry. */
function forgeError(err: unknown, what: string, anonymous = false): AppError {
  const e = err as { status?: number; message?: string; response?: { headers?: Record<string, string> } };
  const headers = e.response?.headers ?? {};
  if ((e.status === 403 || e.status === 429) && (headers['x-ratelimit-remaining'] === '0' || headers['retry-after'])) {
    const reset = headers['retry-after'] ? Date.now() + Number(headers['retry-after']) * 1000 : Number(headers['x-ratelimit-reset'] ?? 0) * 1000;
    return new AppError('network', `${what}: GitHub rate limit reached; retrying after ${new Date(reset).toISOString()}`, { retryAt: reset });
  }
  if (e.status === 401) return new AppError('auth', `${what}: GitHub refused the token (HTTP 401); set a token with repo access`);
  if (e.status === 404 && anonymous) {
    return new AppError('auth', `${what}: GitHub shows no such repository without a token (a private repo?); set LOCKSTEP_GITHUB_TOKEN, or keep a github.com token in git's credential helper`);
  }
  if (e.status && e.status >= 500) return new AppError('network', `${what}: GitHub answered HTTP ${e.status}; retrying later`);
  if (e.status === 422) return new AppError('conflict', `${what}: ${e.message ?? 'unprocessable'}`);
  return new AppError(e.status ? 'bad-input' : 'network', `${what}: ${e.message ?? String(err)}`);
}

export function githubClient(opts: { token?: string; baseUrl?: string }): ForgeClient {
  const octokit = new Octokit({ auth: opts.token, baseUrl: opts.baseUrl, request: { retries: 0 } });
  const anonymous = !opts.token;
  return {
    canCreatePullRequests: !anonymous,
    async createPullRequest({ base, head, branch, target, title, body }) {
      if (anonymous) throw new AppError('auth', 'creating a pull request needs a GitHub token: set LOCKSTEP_GITHUB_TOKEN, or keep a github.com token in git\'s credential helper');
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
        // Each poll costs two requests of the hourly limit: near its end, wait for the reset.
        const remaining = Math.min(...[statuses.headers, runs.headers].map((h) => Number(h['x-ratelimit-remaining'] ?? Infinity)));
        const reset = Number(runs.headers['x-ratelimit-reset'] ?? statuses.headers['x-ratelimit-reset'] ?? 0) * 1000;
        return { verdict, total, failing, pending, ...(remaining <= RATE_RESERVE && reset > Date.now() ? { retryAt: reset } : {}) };
      } catch (err) {
        throw forgeError(err, `reading the checks of ${sha.slice(0, 12)}`, anonymous);
      }
    },
  };
}

/**
 * The forge client the queue uses, for github.com remotes, or for any remote when
 * `LOCKSTEP_GITHUB_API_URL` names the API (GitHub Enterprise, or a stand-in in tests). Its token:
 * `LOCKSTEP_GITHUB_TOKEN` or `GITHUB_TOKEN`, else `token()` (git's credential helper's
 * github.com entry), asked once; without one the client reads the checks of a public repo
 * anonymously and the PR is opened from the forge's page.
 */
export function forgeFromEnv(env: NodeJS.ProcessEnv = process.env, token: () => Promise<string | null> = async () => null): (remoteUrl: string) => Promise<ForgeClient | null> {
  const baseUrl = env.LOCKSTEP_GITHUB_API_URL || undefined;
  let found: Promise<string | null> | null = null;
  return async (url) => {
    if (!baseUrl && !/^(https?:\/\/|git@|ssh:\/\/git@)(www\.)?github\.com[/:]/i.test(url)) return null;
    const fromEnv = env.LOCKSTEP_GITHUB_TOKEN || env.GITHUB_TOKEN;
    found ??= fromEnv ? Promise.resolve(fromEnv) : token().catch(() => null);
    return githubClient({ token: (await found) ?? undefined, baseUrl });
  };
}

/** A github.com token from git's credential helper (never prompting), for `forgeFromEnv`. */
export function helperToken(provider: CredentialProvider): () => Promise<string | null> {
  return async () => (await provider.get('https://github.com/', 0))?.password ?? null;
}
