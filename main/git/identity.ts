/** The user's git identity: GIT_AUTHOR_* / GIT_COMMITTER_* first, else git config. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../shared/errors';

export interface Identity {
  name: string;
  email: string;
}

/** user.name and user.email as git resolves them, in one git run (a draft waits for it). */
function userConfig(gitdir: string): { name: string | null; email: string | null } {
  const r = spawnSync('git', ['--git-dir', gitdir, 'config', '--get-regexp', '^user\\.(name|email)$'], {
    encoding: 'utf8',
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
  });
  if (r.error) return { name: readConfigFiles(gitdir, 'user.name'), email: readConfigFiles(gitdir, 'user.email') };
  const out: { name: string | null; email: string | null } = { name: null, email: null };
  if (r.status !== 0) return out;
  // One `key value` per line, in git's order: a later value overrides an earlier one.
  for (const line of r.stdout.split('\n')) {
    const m = /^user\.(name|email)(?: (.*))?$/.exec(line);
    if (m) out[m[1] as 'name' | 'email'] = m[2]?.trim() || null;
  }
  return out;
}

/** Without a git binary: the repo's config, then ~/.gitconfig, then XDG. */
function readConfigFiles(gitdir: string, key: string): string | null {
  const [section, name] = key.split('.');
  const files = [
    path.join(gitdir, 'config'),
    path.join(os.homedir(), '.gitconfig'),
    path.join(process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'git', 'config'),
  ];
  for (const f of files) {
    let text: string;
    try {
      text = fs.readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    let current = '';
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      const sec = /^\[([^\]\s"]+)/.exec(line);
      if (sec) current = sec[1].toLowerCase();
      const kv = /^([A-Za-z0-9-]+)\s*=\s*(.*)$/.exec(line);
      if (kv && current === section && kv[1].toLowerCase() === name) return kv[2].replace(/^"(.*)"$/, '$1');
    }
  }
  return null;
}

/** The author and committer of new commits; an error saying how to set it when missing. */
export function resolveIdentity(gitdir: string): { author: Identity; committer: Identity } {
  const config = process.env.GIT_AUTHOR_NAME !== undefined && process.env.GIT_AUTHOR_EMAIL !== undefined ? { name: null, email: null } : userConfig(gitdir);
  const name = process.env.GIT_AUTHOR_NAME ?? config.name;
  const email = process.env.GIT_AUTHOR_EMAIL ?? config.email;
  if (!name || !email) {
    throw new AppError(
      'identity-missing',
      'your git identity is not set: run git config --global user.name "Your Name" and git config --global user.email you@example.org (or set GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL)',
    );
  }
  const author = checkIdentity({ name, email }, 'author');
  const committer = checkIdentity({ name: process.env.GIT_COMMITTER_NAME ?? name, email: process.env.GIT_COMMITTER_EMAIL ?? email }, 'committer');
  return { author, committer };
}

/**
 * Checks an identity by git's own rules for a commit header (ident.c): no `<`, `>` or newline
 * in either part, a name that is not only punctuation, an email with an `@`. A commit with a
 * bad ident fails `git fsck` and is refused by servers after the whole CI round trip.
 */
export function checkIdentity(id: Identity, role: 'author' | 'committer' | 'identity' = 'identity'): Identity {
  const name = id.name.trim();
  const email = id.email.trim();
  const bad = (what: string) =>
    new AppError('bad-input', `the git ${role} ${what}; fix it with git config user.name / user.email (or GIT_AUTHOR_NAME / GIT_AUTHOR_EMAIL)`, { field: role });
  if (/[<>\n\r\0]/.test(name)) throw bad(`name "${name.replace(/[\n\r]/g, '\\n')}" holds <, > or a line break, which git cannot write in a commit`);
  if (!/[^\s.,:;<>"\\']/.test(name)) throw bad(`name "${name}" is empty or only punctuation`);
  if (/[<>\s\0]/.test(email) || !/^[^@]+@[^@]+$/.test(email)) throw bad(`email "${email.replace(/[\n\r]/g, '\\n')}" is not an address like you@example.org`);
  return { name, email };
}
