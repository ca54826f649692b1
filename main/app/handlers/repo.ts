/** Handlers of the session: app info, opening, cloning, the demo, fetching, credentials, identity. */
import fs from 'node:fs';
import path from 'node:path';
import type { ApiHandlers } from '../../../shared/api/contract';
import { AppError } from '../../../shared/errors';
import { cloneRepo } from '../../git/transport/clone';
import { setConfig, setGlobalConfig } from '../../git/config';
import { fetchAll } from '../../git/transport/fetch';
import { checkIdentity, resolveIdentity } from '../../git/identity';
import { version } from '../../../package.json';
import { createDemoRepo } from '../../services/demo';
import { DraftStore } from '../../services/drafts/store';
import type { Session } from '../session';

/** The URL's last path segment without `.git`: the default clone folder name. */
export function cloneFolderName(url: string): string {
  const clean = url.replace(/[?#].*$/, '').replace(/\/+$/, '');
  const last = clean.slice(clean.lastIndexOf('/') + 1).replace(/\.git$/, '');
  return last.replace(/[^A-Za-z0-9._-]/g, '_') || 'repo';
}

const str = (v: unknown, field: string): string => {
  if (typeof v !== 'string' || !v.trim()) throw new AppError('bad-input', `${field} must be a non-empty string`, { field });
  return v;
};

type RepoCalls = 'app:info' | 'repo:current' | 'repo:recent' | 'repo:open' | 'repo:close' | 'repo:clone' | 'repo:demo' | 'repo:fetch' | 'op:cancel' | 'credentials:answer' | 'identity:get' | 'identity:set';

export function repoHandlers(s: Session): Pick<ApiHandlers, RepoCalls> {
  const cloning = new Set<string>();
  return {
    'app:info': async () => ({ version, host: s.ctx.host, platform: process.platform, dataDir: s.dataDir }),
    'repo:current': async () => s.info,
    'repo:recent': async () => s.recent(),
    'repo:open': async (req) => s.open(str(req?.dir, 'dir')),
    'repo:close': async () => {
      s.close();
      s.ctx.emit('repo:changed', null);
    },
    'repo:clone': async (req) => {
      const url = str(req?.url, 'url');
      const operationId = str(req?.operationId, 'operationId');
      // A destination the user chose is taken as given (its parent must exist); the default
      // lives in the app's data folder.
      let dest: string;
      if (req.dir !== undefined) {
        dest = path.resolve(str(req.dir, 'dir'));
        if (!path.isAbsolute(req.dir)) throw new AppError('bad-input', `dir must be an absolute path, not "${req.dir}"`, { field: 'dir' });
        if (!fs.existsSync(path.dirname(dest))) throw new AppError('bad-input', `${path.dirname(dest)} does not exist; choose a folder that does`, { field: 'dir', file: dest });
      } else {
        dest = path.join(s.dataDir, 'repos', cloneFolderName(url));
        fs.mkdirSync(path.dirname(dest), { recursive: true });
      }
      if (cloning.has(dest)) throw new AppError('conflict', `a clone into ${dest} is already running`, { field: 'dir', file: dest });
      const ac = s.operation(operationId);
      cloning.add(dest);
      try {
        await cloneRepo(url, dest, { signal: ac.signal, onProgress: s.progress(operationId), credentials: s.credentials });
      } finally {
        cloning.delete(dest);
        s.endOperation(operationId);
      }
      return s.open(dest);
    },
    'repo:demo': async () => {
      const dest = path.join(s.dataDir, 'demo');
      if (!fs.existsSync(path.join(dest, '.git'))) {
        const tmp = `${dest}.tmp-${process.pid}`;
        fs.rmSync(tmp, { recursive: true, force: true });
        await createDemoRepo(tmp);
        fs.rmSync(dest, { recursive: true, force: true });
        fs.renameSync(tmp, dest);
      }
      return s.open(dest, true);
    },
    'repo:fetch': async (req) => {
      const r = s.requireRepo();
      const operationId = str(req?.operationId, 'operationId');
      const ac = s.operation(operationId);
      try {
        const before = new Map((await new DraftStore(r).list()).map((d) => [d.branch, d.stale]));
        const updated = await fetchAll(r.gitdir, { signal: ac.signal, onProgress: s.progress(operationId), credentials: s.credentials, remote: r.upstream });
        await r.refresh();
        s.history = s.newHistory(r);
        // Only the new commits are read: the worker extends each stream's index.
        s.indexInBackground();
        // The network is back: pushes waiting for it go now.
        s.queue?.retryNow();
        const staleNow = (await new DraftStore(r).list()).filter((d) => d.stale && before.get(d.branch) === false).map((d) => d.branch);
        return { updated, staleDrafts: staleNow };
      } finally {
        s.endOperation(operationId);
      }
    },
    'op:cancel': async (req) => s.cancel(str(req?.operationId, 'operationId')),
    'credentials:answer': async (req) => {
      const { requestId, username, password, remember } = req ?? ({} as typeof req);
      s.answerCredentials(str(requestId, 'requestId'), typeof username === 'string' && typeof password === 'string' ? { username, password } : null, remember === true);
    },
    'identity:get': async () => {
      try {
        return resolveIdentity(s.requireRepo().gitdir).author;
      } catch {
        return null;
      }
    },
    'identity:set': async (req) => {
      const id = checkIdentity({ name: String(req?.name ?? ''), email: String(req?.email ?? '') });
      const scope = req?.scope ?? 'repo';
      if (scope !== 'global' && scope !== 'repo') throw new AppError('bad-input', 'scope must be global or repo', { field: 'scope' });
      // Where the user chose, in git's own config: the CLI and git itself then use the same identity.
      if (scope === 'global') {
        await setGlobalConfig('user.name', id.name);
        await setGlobalConfig('user.email', id.email);
        return;
      }
      const gitdir = s.requireRepo().gitdir;
      await setConfig(gitdir, 'user.name', id.name);
      await setConfig(gitdir, 'user.email', id.email);
    },
  };
}
