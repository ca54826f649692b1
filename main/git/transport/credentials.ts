/**
 * Credentials, asked for only when a server answers 401: the user's git credential helper
 * first (`git credential fill`, then `approve` or `reject`), else a fallback (the app's token
 * prompt, the CLI's token file). Secrets travel only through stdin of `git credential` and the
 * Authorization header: never argv, a log, an error message or anything sent to the renderer.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { removeDeadTempsIn, writeFileAtomic } from '../atomic-fs';
import { AppError } from '../../../shared/errors';

export interface Credentials {
  username: string;
  password: string;
}

export interface CredentialProvider {
  /** Called when the server answers 401. Return null to give up (then the operation fails with code 'auth'). */
  get(url: string, attempt: number): Promise<Credentials | null>;
  /** The server accepted / rejected what get() returned. */
  approve(url: string, c: Credentials): Promise<void>;
  reject(url: string, c: Credentials): Promise<void>;
}

let gitCli: boolean | null = null;

export function hasGitCli(): boolean {
  if (gitCli === null) gitCli = !spawnSync('git', ['--version'], { stdio: 'ignore', timeout: 10_000 }).error;
  return gitCli;
}

export interface GitCredentialOptions {
  /**
   * Extra environment for the `git credential` child only (tests point HOME and
   * XDG_CONFIG_HOME at a temporary folder); the parent's environment is never changed.
   */
  env?: Record<string, string | undefined>;
  /** Kills a helper that has not answered after this long (default 10 s). */
  timeoutMs?: number;
}

/** `key=value` lines of git's credential protocol for one URL; null when git could not take them. */
function describeUrl(url: string): string[] | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  const fields: [string, string][] = [
    ['protocol', u.protocol.replace(/:$/, '')],
    ['host', u.host],
  ];
  // git percent-decodes the path and user name it takes from a URL; so do we.
  const p = decodeURIComponent(u.pathname.replace(/^\/+/, ''));
  if (p) fields.push(['path', p]);
  if (u.username) fields.push(['username', decodeURIComponent(u.username)]);
  // A newline or NUL would let a crafted URL add attributes of its own.
  if (fields.some(([, v]) => /[\n\0]/.test(v))) return null;
  return fields.map(([k, v]) => `${k}=${v}`);
}

function credentialLines(c: Credentials): string[] | null {
  if (/[\n\0]/.test(c.username) || /[\n\0]/.test(c.password)) return null;
  return [`username=${c.username}`, `password=${c.password}`];
}

interface HelperResult {
  ok: boolean;
  stdout: string;
}

/** Runs `git credential <action>` with prompts of every kind turned off; never throws. */
function runGitCredential(action: 'fill' | 'approve' | 'reject', input: string[], opts: GitCredentialOptions): Promise<HelperResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env, GIT_TERMINAL_PROMPT: '0', GCM_INTERACTIVE: 'never' };
  // git falls back to an askpass program when the terminal is off; that would pop up a
  // dialog or block until the timeout, so every way of naming one is cleared.
  delete env.GIT_ASKPASS;
  delete env.SSH_ASKPASS;
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const args = ['-c', 'core.askPass=', '-c', 'credential.interactive=false', 'credential', action];
  return new Promise((resolve) => {
    let stdout = '';
    let done = false;
    const finish = (r: HelperResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(r);
    };
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn('git', args, {
        env,
        // The user's own settings decide, not whatever repo the app was started in.
        cwd: opts.env?.HOME ?? os.homedir(),
        stdio: ['pipe', 'pipe', 'ignore'],
        windowsHide: true,
      });
    } catch {
      finish({ ok: false, stdout: '' });
      return;
    }
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({ ok: false, stdout: '' });
    }, opts.timeoutMs ?? 10_000);
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (d: string) => (stdout += d));
    child.on('error', () => finish({ ok: false, stdout: '' }));
    child.on('close', (code) => finish({ ok: code === 0, stdout }));
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(`${input.join('\n')}\n\n`);
  });
}

/** Parses `key=value` lines; only the first `=` splits, since a password may hold more. */
function parseAttributes(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) m.set(line.slice(0, i), line.slice(i + 1));
  }
  return m;
}

/** Uses `git credential fill/approve/reject` when git is on PATH; else / when the helper has nothing, `fallback`. */
export function gitCredentialProvider(fallback?: CredentialProvider, opts: GitCredentialOptions = {}): CredentialProvider {
  // Which answers came from the helper, with the extra attributes it gave (expiry, OAuth
  // refresh token) that git wants back on approve/reject. Keyed by the object itself so
  // concurrent operations on one provider never mix their answers up.
  const fromHelper = new WeakMap<Credentials, string[]>();
  // Per URL: whether the helper answered at attempt 0, so the fallback counts its own attempts.
  const helperAnswered = new Map<string, boolean>();
  const useGit = () => (opts.env?.PATH !== undefined ? true : hasGitCli());

  return {
    async get(url, attempt) {
      if (attempt === 0) {
        helperAnswered.set(url, false);
        const fields = describeUrl(url);
        if (fields && useGit()) {
          const r = await runGitCredential('fill', fields, opts);
          const attrs = parseAttributes(r.stdout);
          const username = attrs.get('username');
          const password = attrs.get('password');
          if (r.ok && username !== undefined && password !== undefined && password !== '') {
            const c: Credentials = { username, password };
            const extra = [...attrs].filter(([k]) => !['username', 'password', 'protocol', 'host', 'path'].includes(k)).map(([k, v]) => `${k}=${v}`);
            fromHelper.set(c, extra);
            helperAnswered.set(url, true);
            return c;
          }
        }
      }
      // The helper is asked once: after it was refused it would only hand back the same
      // (or, once rejected, nothing at all).
      if (!fallback) return null;
      const c = await fallback.get(url, attempt - (helperAnswered.get(url) ? 1 : 0));
      return c ? { username: c.username, password: c.password } : null;
    },
    async approve(url, c) {
      const extra = fromHelper.get(c);
      if (extra) {
        const fields = describeUrl(url);
        const cred = credentialLines(c);
        if (fields && cred) await runGitCredential('approve', [...fields, ...cred, ...extra], opts);
        return;
      }
      // A token typed into the app stays in the app's own store: approving it to git would
      // copy it into whatever the helper is, plain-text `store` included.
      await fallback?.approve(url, c);
    },
    async reject(url, c) {
      const extra = fromHelper.get(c);
      if (extra) {
        const fields = describeUrl(url);
        const cred = credentialLines(c);
        if (fields && cred) await runGitCredential('reject', [...fields, ...cred, ...extra], opts);
        return;
      }
      await fallback?.reject(url, c);
    },
  };
}

/**
 * Remembering a token in git's own credential helper (`git credential approve`), for hosts with
 * no OS store (the browser host): the helper the user chose keeps it, never a file of ours.
 * Reading is the helper's first ask in `gitCredentialProvider`, so `get` has nothing more.
 */
export function gitHelperTokenStore(opts: GitCredentialOptions = {}): CredentialProvider & { save(url: string, c: Credentials): Promise<void> } {
  const run = async (action: 'approve' | 'reject', url: string, c: Credentials) => {
    const fields = describeUrl(url);
    const cred = credentialLines(c);
    if (fields && cred && hasGitCli()) await runGitCredential(action, [...fields, ...cred], opts);
  };
  return {
    get: async () => null,
    approve: (url, c) => run('approve', url, c),
    save: (url, c) => run('approve', url, c),
    reject: (url, c) => run('reject', url, c),
  };
}

/** Tokens are kept per origin (`https://host:port`), as git's helpers do by default; nothing else of a URL is kept. */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return null;
  }
}

const isCredentials = (v: unknown): v is Credentials =>
  !!v && typeof v === 'object' && typeof (v as Credentials).username === 'string' && typeof (v as Credentials).password === 'string';

/** Tokens stored in a file readable only by the user (mode 0600, atomic write). */
export function fileTokenStore(file: string): CredentialProvider & { save(url: string, c: Credentials): Promise<void> } {
  const read = (): Record<string, Credentials> => {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new AppError('io', `cannot read the token file ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'}); check its permissions`, { file });
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      // JSON.parse quotes the text it failed on, secrets included: its message is dropped.
      return {};
    }
    const out: Record<string, Credentials> = {};
    if (doc && typeof doc === 'object' && !Array.isArray(doc)) {
      for (const [k, v] of Object.entries(doc)) if (isCredentials(v)) out[k] = { username: v.username, password: v.password };
    }
    return out;
  };
  const write = async (all: Record<string, Credentials>) => {
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      // A writer killed mid-write left its temp file (tokens in it) beside: nothing else would remove it.
      removeDeadTempsIn(path.dirname(file));
      // An explicit mode: the new file never takes the wider mode of one made by hand.
      await writeFileAtomic(file, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
    } catch (err) {
      throw new AppError('io', `cannot write the token file ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'}); check the folder's permissions and free space`, { file });
    }
  };
  const put = async (url: string, c: Credentials) => {
    const key = originOf(url);
    if (!key) return;
    const all = read();
    all[key] = { username: c.username, password: c.password };
    await write(all);
  };
  return {
    async get(url, attempt) {
      // Only the first ask: once the stored token was refused it is dropped by reject().
      if (attempt > 0) return null;
      const key = originOf(url);
      const c = key ? read()[key] : undefined;
      return c ? { username: c.username, password: c.password } : null;
    },
    approve: put,
    save: put,
    async reject(url, c) {
      const key = originOf(url);
      if (!key) return;
      const all = read();
      const cur = all[key];
      // Only the refused token goes: one saved meanwhile by another operation stays.
      if (cur && cur.username === c.username && cur.password === c.password) {
        delete all[key];
        await write(all);
      }
    },
  };
}
