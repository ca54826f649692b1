/**
 * Commit messages following the repo's conventions: `overrides: pin <srpm-nvr>`,
 * `overrides: fast-track <srpm-nvr>[, <srpm-nvr>...]`, `overrides: unpin <srpm-nvr>`, with the
 * Bodhi and reason links in the body, and PR titles prefixed with the stream.
 */
import { DEVELOPMENT_STREAM } from '../streams';

export type DraftAction = 'pin' | 'fast-track' | 'unpin' | 'graduate';

export interface RationaleInput {
  action: DraftAction;
  /** Source package NVRs (`podman-5.2.5-1.fc40`), in the order the user gave them. */
  srpms: string[];
  reason?: string;
  bodhi?: string;
  /** Free text the user adds under the links. */
  note?: string;
  /** The overrides this draft replaces, one line each (`describeReplaced`). */
  replaces?: readonly string[];
  /** `Name <email>` for a Signed-off-by trailer. */
  signoff?: string;
}

/** The title line alone. */
export function rationaleTitle(input: Pick<RationaleInput, 'action' | 'srpms'>): string {
  if (input.action === 'graduate') return 'lockfiles: drop graduated overrides 🎓';
  return `overrides: ${input.action} ${input.srpms.join(', ')}`;
}

/** The whole message: title, blank line, links, note, sign-off. */
export function composeRationale(input: RationaleInput): string {
  const body: string[] = [];
  if (input.bodhi) body.push(`Bodhi: ${input.bodhi}`);
  if (input.reason) body.push(`See: ${input.reason}`);
  for (const r of input.replaces ?? []) body.push(`Replaces: ${r}`);
  if (input.note?.trim()) {
    if (body.length) body.push('');
    body.push(input.note.trim());
  }
  let msg = rationaleTitle(input);
  if (body.length) msg += `\n\n${body.join('\n')}`;
  msg += '\n';
  return input.signoff ? addSignoff(msg, input.signoff) : msg;
}

/** Appends a `Signed-off-by` trailer unless the message already has it. */
export function addSignoff(message: string, identity: string): string {
  const trailer = `Signed-off-by: ${identity}`;
  const trimmed = message.replace(/\s+$/, '');
  if (trimmed.split('\n').includes(trailer)) return `${trimmed}\n`;
  const lines = trimmed.split('\n');
  const lastIsTrailer = /^[A-Za-z-]+: /.test(lines[lines.length - 1] ?? '') && lines.length > 2;
  return `${trimmed}${lastIsTrailer ? '\n' : '\n\n'}${trailer}\n`;
}

/** The PR title: `[<stream>] <title>`, no prefix on the development stream. */
export function pullRequestTitle(stream: string, message: string): string {
  const title = message.split('\n')[0];
  return stream === DEVELOPMENT_STREAM ? title : `[${stream}] ${title}`;
}

/** A git ref name component made safe: no epoch, `:~^` and other unsafe characters replaced. */
export function refSafe(s: string): string {
  return s
    .replace(/[\s:~^?*[\\\x00-\x1f\x7f]+/g, '-')
    .replace(/\.\.+/g, '.')
    .replace(/@\{/g, '-')
    .replace(/\/+/g, '-')
    .replace(/^[.-]+|[.-]+$/g, '')
    .replace(/\.lock$/i, '-lock');
}

/** Checks a full branch name as git's check-ref-format would. */
export function isValidBranchName(name: string): boolean {
  if (!name || name.startsWith('-') || name.endsWith('/') || name.endsWith('.') || name.includes('..') || name.includes('@{')) return false;
  // `HEAD` and a full `refs/…` name are legal ref names but not branch names: pushed as a
  // branch they create `refs/heads/HEAD` or `refs/heads/refs/heads/x`.
  if (name === 'HEAD' || name.startsWith('refs/') || name.length > 200) return false;
  if (/[\s:~^?*[\\\x00-\x1f\x7f]/.test(name) || name === '@') return false;
  return name.split('/').every((c) => c.length > 0 && !c.startsWith('.') && !c.endsWith('.lock'));
}

/** The default draft branch: `lockstep/<stream>/<srpm>-<version>-<release>`, ref-safe. */
export function draftBranchName(stream: string, srpmName: string, version: string, release: string | null): string {
  const tail = refSafe(`${srpmName}-${version}${release ? `-${release}` : ''}`);
  return `${DRAFT_BRANCH_PREFIX}${refSafe(stream)}/${tail}`;
}

/** Local drafts live under this prefix. */
export const DRAFT_BRANCH_PREFIX = 'lockstep/';
/** Pushed drafts' default branch names start so (the upstream workflow's own naming). */
export const PUSH_BRANCH_PREFIX = 'override-';

/** A branch Lockstep creates or pushes: never a stream. */
export function isLockstepBranch(name: string): boolean {
  return name.startsWith(DRAFT_BRANCH_PREFIX) || name.startsWith(PUSH_BRANCH_PREFIX);
}

/** The default pushed branch: `override-<stream>-<srpm>-<version>-<release>`, ref-safe. */
export function pushBranchName(stream: string, srpmName: string, version: string, release: string | null): string {
  return refSafe(`${PUSH_BRANCH_PREFIX}${stream}-${srpmName}-${version}${release ? `-${release}` : ''}`);
}
