/** Asks for the git identity once, when neither the environment nor git config has one. */
import { useState } from 'react';
import { useStore } from '../../store';

export function IdentityForm() {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  return (
    <form
      className="notice"
      data-testid="identity-form"
      onSubmit={(e) => {
        e.preventDefault();
        void useStore.getState().setIdentity({ name, email });
      }}
    >
      <span>Your git identity is not set. Commits are authored as:</span>
      <input placeholder="Your Name" aria-label="Your name" value={name} onChange={(e) => setName(e.target.value)} data-testid="identity-name" />
      <input placeholder="you@example.org" aria-label="Your email" value={email} onChange={(e) => setEmail(e.target.value)} data-testid="identity-email" />
      <button type="submit">Save identity</button>
    </form>
  );
}
