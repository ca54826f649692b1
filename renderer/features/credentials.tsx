/**
 * The sign-in prompt, shown when a server asks for credentials that no helper had. The fields
 * are uncontrolled: the secret is read from the form on submit, sent, and the form reset; it is
 * never held in React state or the store.
 */
import { useEffect, useRef } from 'react';
import { keepTabInside } from '../components/focus-trap';
import { Icon } from '../components/icons';
import { useStore } from '../store';
import { credentialsSelectors } from '../store/selectors/credentials';
import { usePick } from '../store/use-pick';

/** The last username typed (not a secret), so a retry after a rejection keeps it. */
let lastUsername = '';

export function CredentialPrompt() {
  const { req, answerCredential } = usePick({ req: credentialsSelectors.credentialRequest, answerCredential: credentialsSelectors.answerCredential });
  const formRef = useRef<HTMLFormElement>(null);
  const userRef = useRef<HTMLInputElement>(null);
  const passRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!req) return;
    // A retry focuses the secret: the username is usually right.
    if (req.rejected && lastUsername) passRef.current?.focus();
    else userRef.current?.focus();
  }, [req]);

  if (!req) return null;

  const answer = (username: string | null, password: string | null, remember: boolean) => {
    formRef.current?.reset();
    void answerCredential(username, password, remember);
  };

  let host = req.url;
  try {
    host = new URL(req.url).host;
  } catch {
    // keep the URL as given
  }

  return (
    <div className="modal-backdrop" onKeyDown={(e) => (e.key === 'Escape' ? answer(null, null, false) : keepTabInside(e, formRef.current))}>
      <form
        ref={formRef}
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby="cred-title"
        data-testid="credential-prompt"
        onSubmit={(e) => {
          e.preventDefault();
          const data = new FormData(e.currentTarget);
          const username = String(data.get('username') ?? '');
          lastUsername = username;
          answer(username, String(data.get('password') ?? ''), data.get('remember') === 'on');
        }}
      >
        <div className="modal-head">
          <span className="modal-icon">
            <Icon name="lock" size={18} />
          </span>
          <div>
            <h2 id="cred-title">Sign in to {host}</h2>
            <p className="muted small mono break">{req.url}</p>
          </div>
        </div>
        {req.rejected ? (
          <div className="error" role="alert" data-testid="credential-rejected">
            <Icon name="alert" className="error-icon" />
            <span className="error-message">Rejected, try again: the server refused that username and token.</span>
          </div>
        ) : (
          <p className="modal-text">The server asks for credentials and your git credential helper had none. Use a personal access token where the forge offers one.</p>
        )}
        <label>
          Username
          <input ref={userRef} name="username" defaultValue={lastUsername} data-testid="cred-username" autoComplete="username" spellCheck={false} required />
        </label>
        <label>
          Token or password
          <input ref={passRef} name="password" type="password" data-testid="cred-password" autoComplete="current-password" required />
        </label>
        <label className="inline check">
          <input name="remember" type="checkbox" defaultChecked data-testid="cred-remember" />
          Remember for this server (kept in a file only you can read, or the OS keychain in the desktop app)
        </label>
        <div className="modal-actions">
          <button type="button" onClick={() => answer(null, null, false)} data-testid="cred-cancel">
            Cancel
          </button>
          <button type="submit" className="primary" data-testid="cred-submit">
            Sign in
          </button>
        </div>
      </form>
    </div>
  );
}
