/** Network and auth failures of isomorphic-git, as AppErrors a user can act on. */
import { AppError } from '../../../shared/errors';

/** Removes `user:password@` from a URL before it is shown or logged. */
export function stripUserInfo(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1');
}

export function transportError(err: unknown, url: string, what: string): AppError {
  if (err instanceof AppError) return err;
  const e = err as { code?: string; message?: string; data?: { statusCode?: number }; cause?: { code?: string } };
  const shown = stripUserInfo(url);
  const status = e.data?.statusCode;
  if (status === 401 || status === 403) {
    return new AppError('auth', `${what} ${shown}: the server refused the credentials (HTTP ${status}); check your token or password and retry`, { url: shown });
  }
  if (status === 404) return new AppError('bad-input', `${what} ${shown}: no repository at that URL (HTTP 404); check the URL`, { url: shown });
  if (status) return new AppError('network', `${what} ${shown}: the server answered HTTP ${status}; retry later`, { url: shown });
  const code = e.code ?? e.cause?.code ?? '';
  const msg = stripUserInfo(String(e.message ?? err));
  return new AppError('network', `${what} ${shown} failed: ${code ? `${code}: ` : ''}${msg}; check the URL or your connection and retry`, { url: shown });
}
