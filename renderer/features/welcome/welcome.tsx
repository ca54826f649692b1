/** First screen with no repo open: clone a config repo, open a local clone, or try the demo; reopen a recent one. */
import { useState, type ReactNode } from 'react';
import { ErrorBox, ProgressBar } from '../../components/common';
import { Icon, LogoMark, type IconName } from '../../components/icons';
import { useStore } from '../../store';
import type { RepoAction } from '../../store/repo';
import { repoSelectors } from '../../store/selectors/repo';
import { usePick } from '../../store/use-pick';

const REFERENCE_URL = 'https://github.com/coreos/fedora-coreos-config.git';

/** The folder name the back end gives a clone of this URL (mirrors `cloneFolderName`), for the placeholder. */
function defaultFolder(url: string): string {
  const clean = url.replace(/[?#].*$/, '').replace(/\/+$/, '');
  return clean.slice(clean.lastIndexOf('/') + 1).replace(/\.git$/, '') || 'repo';
}

const baseName = (dir: string) => dir.replace(/[\\/]+$/, '').split(/[\\/]/).pop() || dir;

function InlineError({ action }: { action: RepoAction }) {
  const error = useStore(repoSelectors.welcomeError);
  if (!error || error.action !== action) return null;
  if (error.cancelled) {
    return (
      <div className="inline-note" role="status" data-testid={`${action}-cancelled`}>
        {error.message}
      </div>
    );
  }
  return <ErrorBox message={error.message} testid={`${action}-error`} />;
}

function Card({ icon, title, children, testid }: { icon: IconName; title: string; children: ReactNode; testid: string }) {
  return (
    <section className="card welcome-card" data-testid={testid} aria-label={title}>
      <div className="card-title">
        <span className="card-icon">
          <Icon name={icon} size={18} />
        </span>
        <h2>{title}</h2>
      </div>
      {children}
    </section>
  );
}

function CloneCard() {
  const { operation, progress, dataDir } = usePick({ operation: repoSelectors.operation, progress: repoSelectors.progress, dataDir: repoSelectors.dataDir });
  const [url, setUrl] = useState(REFERENCE_URL);
  const [dest, setDest] = useState('');
  const [cancelling, setCancelling] = useState(false);
  const cloning = operation?.kind === 'clone';
  const busy = operation !== null;
  const placeholder = dataDir ? `${dataDir}/repos/${defaultFolder(url)}` : 'the app data folder';
  return (
    <Card icon="clone" title="Clone a config repo" testid="clone-card">
      <form
        className="stack-form"
        onSubmit={(e) => {
          e.preventDefault();
          setCancelling(false);
          void useStore.getState().cloneRepo(url.trim(), dest.trim());
        }}
      >
        <label>
          Repository URL
          <input value={url} onChange={(e) => setUrl(e.target.value)} data-testid="clone-url" spellCheck={false} className="mono" disabled={busy} required />
        </label>
        <label>
          <span>
            Destination <span className="optional">optional</span>
          </span>
          <input value={dest} onChange={(e) => setDest(e.target.value)} data-testid="clone-dest" spellCheck={false} className="mono" placeholder={placeholder} disabled={busy} />
        </label>
        <p className="hint">Every stream branch, with progress. Credentials are asked only if the server wants them.</p>
        {cloning && progress ? (
          <ProgressBar
            p={progress}
            cancelling={cancelling}
            onCancel={() => {
              setCancelling(true);
              void useStore.getState().cancelOperation();
            }}
          />
        ) : (
          <div className="card-actions">
            <button type="submit" className="primary" disabled={busy || !url.trim()} data-testid="clone">
              Clone
            </button>
          </div>
        )}
      </form>
      <InlineError action="clone" />
    </Card>
  );
}

function OpenCard() {
  const operation = useStore(repoSelectors.operation);
  const [dir, setDir] = useState('');
  return (
    <Card icon="folder" title="Open a local clone" testid="open-card">
      <form
        className="stack-form"
        onSubmit={(e) => {
          e.preventDefault();
          void useStore.getState().openRepo(dir.trim());
        }}
      >
        <label>
          Folder
          <input value={dir} onChange={(e) => setDir(e.target.value)} placeholder="~/src/fedora-coreos-config" data-testid="open-path" spellCheck={false} className="mono" disabled={operation !== null} />
        </label>
        <p className="hint">A plain or bare clone. Type or paste its path: the browser host has no file picker.</p>
        <div className="card-actions">
          <button type="submit" disabled={operation !== null || !dir.trim()} data-testid="open">
            {operation?.kind === 'open' && operation.target === dir.trim() ? 'Opening…' : 'Open'}
          </button>
        </div>
      </form>
      <InlineError action="open" />
    </Card>
  );
}

function DemoCard() {
  const operation = useStore(repoSelectors.operation);
  return (
    <Card icon="beaker" title="Try the demo" testid="demo-card">
      <p className="card-text">
        A config repo generated on this machine: release streams with realistic lockfiles, pins, fast-tracks and a history to browse. No network needed.
      </p>
      <div className="card-actions">
        <button type="button" onClick={() => void useStore.getState().openDemo()} disabled={operation !== null} data-testid="open-demo">
          {operation?.kind === 'demo' ? 'Generating…' : 'Open demo repo'}
        </button>
      </div>
      <InlineError action="demo" />
    </Card>
  );
}

function RecentList() {
  const { recent, operation } = usePick({ recent: repoSelectors.recent, operation: repoSelectors.operation });
  return (
    <section className="recent" aria-labelledby="recent-title" data-testid="recent">
      <h3 id="recent-title">Recent repositories</h3>
      {recent.length === 0 ? (
        <p className="recent-empty">Repositories you clone or open are listed here.</p>
      ) : (
        <ul className="recent-list">
          {recent.map((r) => (
            <li key={r.dir}>
              <button type="button" className="recent-item" onClick={() => void useStore.getState().openRepo(r.dir)} disabled={operation !== null} data-testid="recent-repo" title={`Open ${r.dir}`}>
                <Icon name="repo" className="recent-icon" />
                <span className="recent-name">{baseName(r.dir)}</span>
                <span className="recent-path mono">{r.dir}</span>
                <span className="recent-date">{r.openedAt.slice(0, 10)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function Welcome() {
  const info = useStore(repoSelectors.info);
  return (
    <div className="welcome" data-testid="welcome">
      <header className="welcome-head">
        <LogoMark size={40} />
        <div>
          <h1>Welcome to Lockstep</h1>
          <p className="lead">Review lockfile diffs between release streams, follow each package's versions, and draft override pins for CI — offline, on your own clone.</p>
        </div>
      </header>
      <div className="cards">
        <CloneCard />
        <OpenCard />
        <DemoCard />
      </div>
      <RecentList />
      {info && (
        <footer className="welcome-foot">
          Lockstep {info.version} · {info.host === 'browser' ? 'browser host' : 'desktop app'} · data in <span className="mono">{info.dataDir}</span>
        </footer>
      )}
    </div>
  );
}
