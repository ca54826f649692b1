/**
 * Asks for the git identity once, when neither the environment nor git config has one, and
 * stores it where the user chooses: git's global config (every repo, git itself too) or this
 * clone's own config.
 */
import { useState } from 'react';
import { useStore } from '../../store';

export function IdentityForm() {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [scope, setScope] = useState<'global' | 'repo'>('global');
  return (
    <form
      className="notice identity-form"
      data-testid="identity-form"
      onSubmit={(e) => {
        e.preventDefault();
        void useStore.getState().setIdentity({ name, email }, scope);
      }}
    >
      <span>Your git identity is not set. Commits are authored as:</span>
      <input placeholder="Your Name" aria-label="Your name" value={name} onChange={(e) => setName(e.target.value)} data-testid="identity-name" />
      <input placeholder="you@example.org" aria-label="Your email" value={email} onChange={(e) => setEmail(e.target.value)} data-testid="identity-email" />
      <fieldset className="inline-choice">
        <legend>Keep it in</legend>
        <label className="inline check">
          <input type="radio" name="identity-scope" checked={scope === 'global'} onChange={() => setScope('global')} data-testid="identity-scope-global" />
          git's global config (every repo)
        </label>
        <label className="inline check">
          <input type="radio" name="identity-scope" checked={scope === 'repo'} onChange={() => setScope('repo')} data-testid="identity-scope-repo" />
          this repo's config only
        </label>
      </fieldset>
      <button type="submit">Save identity</button>
    </form>
  );
}
