/** First screen with no repo: clone, open a local clone, or try the demo. */
import { useState } from 'react';
import { ErrorBox, ProgressBar } from '../components/common';
import { useStore } from '../store';

const REFERENCE_URL = 'https://github.com/coreos/fedora-coreos-config.git';

export function Welcome() {
  const recent = useStore((s) => s.recent);
  const error = useStore((s) => s.repoError);
  const progress = useStore((s) => s.progress);
  const operation = useStore((s) => s.operation);
  const info = useStore((s) => s.info);
  const [url, setUrl] = useState(REFERENCE_URL);
  const [dest, setDest] = useState('');
  const [local, setLocal] = useState('');
  const busy = operation !== null;
  const s = useStore.getState();
  return (
    <div className="welcome" data-testid="welcome">
      <h1>Welcome to Lockstep</h1>
      <p className="lead">Review lockfile diffs between streams, follow each package's versions, and draft backport pins — offline.</p>
      <div className="cards">
        <form
          className="card"
          onSubmit={(e) => {
            e.preventDefault();
            void s.cloneRepo(url.trim(), dest.trim());
          }}
        >
          <h2>Clone a config repo</h2>
          <label>
            Repository URL
            <input value={url} onChange={(e) => setUrl(e.target.value)} data-testid="clone-url" spellCheck={false} />
          </label>
          <label>
            Destination <span className="muted">(optional; default under {info?.dataDir ?? 'the app data folder'})</span>
            <input value={dest} onChange={(e) => setDest(e.target.value)} data-testid="clone-dest" spellCheck={false} />
          </label>
          <button type="submit" className="primary" disabled={busy || !url.trim()} data-testid="clone">
            Clone
          </button>
          {progress && operation?.startsWith('clone') && <ProgressBar p={progress} onCancel={() => void s.cancel()} />}
        </form>
        <form
          className="card"
          onSubmit={(e) => {
            e.preventDefault();
            void s.openRepo(local.trim());
          }}
        >
          <h2>Open a local clone</h2>
          <label>
            Folder (a plain or bare clone)
            <input value={local} onChange={(e) => setLocal(e.target.value)} placeholder="~/src/fedora-coreos-config" data-testid="open-path" spellCheck={false} />
          </label>
          <button type="submit" disabled={busy || !local.trim()} data-testid="open">
            Open
          </button>
          {recent.length > 0 && (
            <div className="recent">
              <h3>Recent</h3>
              <ul>
                {recent.map((r) => (
                  <li key={r.dir}>
                    <button type="button" className="link" onClick={() => void s.openRepo(r.dir)} data-testid="recent-repo">
                      {r.dir}
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          )}
        </form>
        <div className="card">
          <h2>Try the demo</h2>
          <p>A generated config repo with six streams, overrides and history. No network needed.</p>
          <button type="button" onClick={() => void s.openDemo()} disabled={busy} data-testid="open-demo">
            Open demo repo
          </button>
        </div>
      </div>
      <ErrorBox message={error} testid="welcome-error" />
    </div>
  );
}
