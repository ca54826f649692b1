/**
 * Forges: where a pushed draft becomes a pull request. From a remote URL, the page that opens a
 * PR (GitHub compare, GitLab new merge request, Forgejo/Gitea compare, Pagure diff).
 */

export interface ForgeRepo {
  kind: 'github' | 'gitlab' | 'forgejo' | 'pagure';
  /** `https://host/owner/name` without `.git`. */
  web: string;
  owner: string;
  name: string;
}

/** Reads an https or scp-like SSH remote URL; null when it is not a forge repo URL. */
export function parseForgeUrl(url: string): ForgeRepo | null {
  let host: string;
  let path: string;
  const ssh = /^(?:ssh:\/\/)?[^@/]+@([^:/]+)[:/](.+)$/.exec(url);
  const https = /^https?:\/\/(?:[^@/]+@)?([^/]+)\/(.+)$/.exec(url);
  if (https) [, host, path] = https;
  else if (ssh) [, host, path] = ssh;
  else return null;
  const parts = path.replace(/\.git\/?$/, '').replace(/\/+$/, '').split('/');
  if (parts.length < 2) return null;
  const name = parts.pop()!;
  const owner = parts.join('/');
  const kind = /github/.test(host) ? 'github' : /gitlab/.test(host) ? 'gitlab' : /pagure/.test(host) ? 'pagure' : 'forgejo';
  return { kind, web: `https://${host}/${owner}/${name}`, owner, name };
}

const q = (s: string) => encodeURIComponent(s);

/** The page that opens a PR of `branch` (on `head`, the push remote) into `base`'s `target`. */
export function newPullRequestUrl(base: ForgeRepo, head: ForgeRepo, branch: string, target: string, title: string, body: string): string {
  const sameRepo = base.web === head.web;
  switch (base.kind) {
    case 'github':
      return `${base.web}/compare/${q(target)}...${sameRepo ? '' : `${q(head.owner)}:`}${q(branch)}?expand=1&title=${q(title)}&body=${q(body)}`;
    case 'gitlab':
      return `${head.web}/-/merge_requests/new?merge_request%5Bsource_branch%5D=${q(branch)}&merge_request%5Btarget_branch%5D=${q(target)}&merge_request%5Btitle%5D=${q(title)}&merge_request%5Bdescription%5D=${q(body)}`;
    case 'pagure':
      return `${base.web}/diff/${q(target)}..${q(branch)}`;
    default:
      // Forgejo and Gitea prefill the new pull request from `title` and `body` on the compare page.
      return `${base.web}/compare/${q(target)}...${sameRepo ? '' : `${q(head.owner)}:`}${q(branch)}?title=${q(title)}&body=${q(body)}`;
  }
}
