/**
 * Credentials, asked only when the server asks: the user's git credential helper first
 * (`git credential fill`, then `approve` or `reject`, never prompting on a terminal), else a
 * token the user typed, remembered in a file only the user can read (the Electron host wraps
 * the same interface around safeStorage). Secrets never reach logs, errors or the renderer.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../git/atomic-fs';

export interface Credentials {
  username: string;
  password: string;
}

export interface CredentialProvider {
  /** Called when the server answers 401; null gives up (the operation fails with code 'auth'). */
  get(url: string, attempt: number): Promise<Credentials | null>;
  approve(url: string, c: Credentials): Promise<void>;
  reject(url: string, c: Credentials): Promise<void>;
}

let gitCli: boolean | null = null;

export function hasGitCli(): boolean {
  if (gitCli === null) gitCli = !spawnSync('git', ['--version'], { stdio: 'ignore' }).error;
  return gitCli;
}

function credentialInput(url: string, c?: Credentials): string {
  const u = new URL(url);
  const lines = [`protocol=${u.protocol.replace(/:$/, '')}`, `host=${u.host}`];
  const p = u.pathname.replace(/^\//, '');
  if (p) lines.push(`path=${p}`);
  if (c) lines.push(`username=${c.username}`, `password=${c.password}`);
  return `${lines.join('\n')}\n\n`;
}

function runCredential(action: 'fill' | 'approve' | 'reject', input: string): string | null {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', GCM_INTERACTIVE: 'never' };
  delete env.GIT_ASKPASS;
  delete env.SSH_ASKPASS;
  const r = spawnSync('git', ['credential', action], { input, env, encoding: 'utf8', timeout: 10_000 });
  return r.status === 0 ? r.stdout : null;
}

/** The user's git credential helper, falling back to `fallback` when it has nothing. */
export function gitCredentialProvider(fallback?: CredentialProvider): CredentialProvider {
  const fromHelper = new Set<string>();
  return {
    async get(url, attempt) {
      if (hasGitCli() && attempt === 0) {
        const out = runCredential('fill', credentialInput(url));
        const username = /^username=(.*)$/m.exec(out ?? '')?.[1];
        const password = /^password=(.*)$/m.exec(out ?? '')?.[1];
        if (username !== undefined && password !== undefined) {
          fromHelper.add(url);
          return { username, password };
        }
      }
      fromHelper.delete(url);
      return fallback ? fallback.get(url, attempt) : null;
    },
    async approve(url, c) {
      if (hasGitCli()) runCredential('approve', credentialInput(url, c));
      if (!fromHelper.has(url)) await fallback?.approve(url, c);
    },
    async reject(url, c) {
      if (hasGitCli() && fromHelper.has(url)) runCredential('reject', credentialInput(url, c));
      else await fallback?.reject(url, c);
    },
  };
}

const originOf = (url: string) => {
  const u = new URL(url);
  return `${u.protocol}//${u.host}`;
};

/** Tokens kept in a file only the user can read (mode 0600), keyed by scheme and host. */
export function fileTokenStore(file: string): CredentialProvider & { save(url: string, c: Credentials): Promise<void> } {
  const read = (): Record<string, Credentials> => {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, Credentials>;
    } catch {
      return {};
    }
  };
  const write = async (all: Record<string, Credentials>) => {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    await writeFileAtomic(file, `${JSON.stringify(all)}\n`, { mode: 0o600 });
  };
  return {
    async get(url, attempt) {
      return attempt === 0 ? (read()[originOf(url)] ?? null) : null;
    },
    async approve(url, c) {
      const all = read();
      all[originOf(url)] = c;
      await write(all);
    },
    async reject(url) {
      const all = read();
      if (all[originOf(url)]) {
        delete all[originOf(url)];
        await write(all);
      }
    },
    async save(url, c) {
      const all = read();
      all[originOf(url)] = c;
      await write(all);
    },
  };
}
