/**
 * The GitHub token for creating PRs and reading checks at the higher rate limit. The field is
 * uncontrolled and reset after sending, as the sign-in prompt's: the token is never kept in React
 * state or the store, and only where it comes from is shown back.
 */
import { useEffect, useRef, useState } from 'react';
import type { GithubTokenStatus } from '../../../shared/api/settings-types';
import { useStore } from '../../store';
import { settingsSelectors } from '../../store/selectors/settings';

const STORE_WORDS = { os: "the system's secure store", 'git-helper': "git's credential helper" } as const;

function statusWords(t: GithubTokenStatus): string {
  switch (t.source) {
    case 'env':
      return `A token from ${t.variable} (the environment) is in use; it wins over one saved here.`;
    case 'saved':
      return `A token saved here is in use (kept in ${STORE_WORDS[t.store ?? 'os']}).`;
    case 'git-helper':
      return "git's credential helper has a github.com token, which is in use.";
    default:
      return 'No token: checks of public repos are read anonymously (60 requests an hour) and a PR opens from GitHub\'s page.';
  }
}

export function GithubToken() {
  const status = useStore(settingsSelectors.githubToken);
  const formRef = useRef<HTMLFormElement>(null);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => void useStore.getState().loadGithubToken(), []);
  if (!status) return null;

  const send = async (token: string, done: string) => {
    formRef.current?.reset();
    const err = await useStore.getState().setGithubToken(token);
    setNote(err ? { ok: false, text: err } : { ok: true, text: done });
  };

  return (
    <form
      ref={formRef}
      className="form-grid"
      data-testid="github-token"
      onSubmit={(e) => {
        e.preventDefault();
        void send(String(new FormData(e.currentTarget).get('token') ?? ''), 'Token saved.');
      }}
    >
      <fieldset className="stack">
        <legend>GitHub token</legend>
        <p className="muted" data-testid="github-token-status" data-source={status.source ?? 'none'}>
          {statusWords(status)}
        </p>
        {status.store ? (
          <div className="field">
            <label htmlFor="set-github-token">A token to create PRs (kept in {STORE_WORDS[status.store]}, never in a file of Lockstep's)</label>
            <input id="set-github-token" name="token" type="password" autoComplete="off" spellCheck={false} data-testid="set-github-token" required />
          </div>
        ) : (
          <p className="muted">This host cannot keep a token safely: set LOCKSTEP_GITHUB_TOKEN in the environment.</p>
        )}
        {status.store && (
          <div className="row">
            <button type="submit" data-testid="save-github-token">
              Save token
            </button>
            {status.source === 'saved' && (
              <button type="button" onClick={() => void send('', 'Token forgotten.')} data-testid="forget-github-token">
                Forget the saved token
              </button>
            )}
            {note && (
              <span className={note.ok ? 'ok' : 'error-text'} role="status" data-testid="github-token-note">
                {note.text}
              </span>
            )}
          </div>
        )}
      </fieldset>
    </form>
  );
}
