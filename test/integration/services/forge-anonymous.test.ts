/**
 * GitHub without a token: a public repo's checks are read anonymously (GitHub serves commit
 * statuses and check runs of public repos without authentication, at 60 requests an hour:
 * https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api), a private
 * one answers 404 and says a token is needed, the rate-limit headers make the watch wait, and
 * a PR needs a token (without one the forge's new-PR page is the way).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { forgeFromEnv, githubClient } from '../../../main/services/push/forge-github';
import { startForge } from '../../helpers/forge-stand-in';

const SHA = 'a'.repeat(40);
const repo = { kind: 'github' as const, web: 'https://github.com/coreos/fedora-coreos-config', owner: 'coreos', name: 'fedora-coreos-config' };

describe('GitHub checks without a token', () => {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const s of stops.splice(0)) await s();
  });

  it('reads a public repo\'s checks anonymously, sending no token', async () => {
    const forge = await startForge();
    stops.push(forge.stop);
    forge.setChecks(SHA, 'success');
    const client = githubClient({ baseUrl: forge.url });
    expect(client.canCreatePullRequests).toBe(false);
    expect(await client.checks(repo, SHA)).toMatchObject({ verdict: 'passed', failing: [] });
    expect(forge.authorized.every((a) => a === false)).toBe(true);
    await expect(client.createPullRequest({ base: repo, head: repo, branch: 'b', target: 'stable', title: 't', body: 'b' })).rejects.toMatchObject({ code: 'auth', message: expect.stringMatching(/needs a GitHub token/) });
    expect(forge.pulls).toEqual([]);
  });

  it('says a token is needed when the repo is private (GitHub answers 404 to anonymous calls)', async () => {
    const forge = await startForge({ private: true });
    stops.push(forge.stop);
    await expect(githubClient({ baseUrl: forge.url }).checks(repo, SHA)).rejects.toMatchObject({ code: 'auth', message: expect.stringMatching(/without a token \(a private repo\?\).*LOCKSTEP_GITHUB_TOKEN/) });
    forge.setChecks(SHA, 'failure');
    expect(await githubClient({ baseUrl: forge.url, token: 't' }).checks(repo, SHA)).toMatchObject({ verdict: 'failed', failing: ['ci/jenkins'] });
  });

  it('waits for the rate limit\'s reset when it is nearly spent', async () => {
    const low = await startForge({ rateRemaining: 1 });
    const high = await startForge({ rateRemaining: 40 });
    stops.push(low.stop, high.stop);
    const r = await githubClient({ baseUrl: low.url }).checks(repo, SHA);
    expect(r.verdict).toBe('pending');
    expect(r.retryAt).toBeGreaterThan(Date.now() + 3000_000);
    expect((await githubClient({ baseUrl: high.url }).checks(repo, SHA)).retryAt).toBeUndefined();
  });
});

describe('the forge client for a remote', () => {
  it('is GitHub\'s for github.com remotes only, with the token from the environment before the helper\'s', async () => {
    let asked = 0;
    const helper = async () => {
      asked++;
      return 'from-helper';
    };
    const forge = forgeFromEnv({}, helper);
    expect(await forge('https://gitlab.com/o/r.git')).toBeNull();
    expect(await forge('https://example.org/github.com/r.git')).toBeNull();
    const gh = await forge('https://github.com/coreos/fedora-coreos-config.git');
    expect(gh?.canCreatePullRequests).toBe(true);
    expect((await forge('git@github.com:ada/fedora-coreos-config.git'))?.canCreatePullRequests).toBe(true);
    expect(asked).toBe(1);
    const none = forgeFromEnv({}, async () => null);
    expect((await none('https://github.com/o/r'))?.canCreatePullRequests).toBe(false);
    let helperAsked = false;
    const env = forgeFromEnv({ LOCKSTEP_GITHUB_TOKEN: 'env' }, async () => {
      helperAsked = true;
      return null;
    });
    expect((await env('https://github.com/o/r'))?.canCreatePullRequests).toBe(true);
    expect(helperAsked).toBe(false);
  });
});
