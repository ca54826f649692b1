/** The app shell: top bar, navigation, the current view, and the credential prompt. */
import { lazy, Suspense, useEffect, useState } from 'react';
import { on } from './api';
import { ErrorBox, ProgressBar } from './components/common';
import { DiffView } from './features/diff';
import { DraftInfoView } from './features/draft-info';
import { DraftForm, DraftsView } from './features/drafts';
import { HistoryView } from './features/history';
import { StreamsView } from './features/streams';
import { Welcome } from './features/welcome';
import { parseHash, useStore, type View } from './store';
import { call } from './api';

// Monaco (several MB) loads only when the raw editor opens.
const RawEditor = lazy(() => import('./features/raw-editor'));

const TABS: { view: View; label: string }[] = [
  { view: 'streams', label: 'Streams' },
  { view: 'diff', label: 'Diff' },
  { view: 'history', label: 'History' },
  { view: 'drafts', label: 'Drafts' },
  { view: 'edit', label: 'Edit' },
];

function CredentialPrompt() {
  const req = useStore((s) => s.credentialRequest);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  if (!req) return null;
  const answer = async (ok: boolean) => {
    useStore.setState({ credentialRequest: null });
    await call('credentials:answer', { requestId: req.requestId, username: ok ? username : null, password: ok ? password : null, remember: true });
    setPassword('');
  };
  return (
    <div className="modal-backdrop">
      <form
        className="modal"
        data-testid="credential-prompt"
        onSubmit={(e) => {
          e.preventDefault();
          void answer(true);
        }}
      >
        <h2>Sign in</h2>
        <p>
          <code>{req.url}</code> asks for credentials.
        </p>
        {req.rejected && (
          <p className="error" data-testid="credential-rejected">
            The server rejected those credentials; try again.
          </p>
        )}
        <label>
          Username
          <input autoFocus value={username} onChange={(e) => setUsername(e.target.value)} data-testid="cred-username" autoComplete="username" />
        </label>
        <label>
          Token or password
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} data-testid="cred-password" autoComplete="current-password" />
        </label>
        <div className="row end">
          <button type="button" onClick={() => void answer(false)}>
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

export function App() {
  const repo = useStore((s) => s.repo);
  const repoLoaded = useStore((s) => s.repoLoaded);
  const route = useStore((s) => s.route);
  const progress = useStore((s) => s.progress);
  const operation = useStore((s) => s.operation);
  const fetchResult = useStore((s) => s.fetchResult);
  const indexProgress = useStore((s) => s.indexProgress);
  const [startError, setStartError] = useState<string | null>(null);

  useEffect(() => {
    const onHash = () => useStore.getState().setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', onHash);
    const offs = [
      on('op:progress', (p) => useStore.getState().setProgress(p)),
      on('credentials:request', (r) => useStore.setState({ credentialRequest: r })),
      on('repo:changed', (info) => useStore.setState({ repo: info })),
      on('drafts:changed', ({ branch, state }) => {
        const s = useStore.getState();
        void s.loadDrafts().then(() => {
          // Without a forge token the PR is opened by hand: its page opens once the push lands.
          if ((state === 'pushed' || state === 'checks pending') && s.pushedHere.has(branch)) {
            s.pushedHere.delete(branch);
            const url = useStore.getState().drafts?.find((d) => d.branch === branch)?.push?.prUrl;
            if (url && /^https:\/\//.test(url)) window.open(url, '_blank', 'noopener');
          }
        });
      }),
    ];
    useStore
      .getState()
      .loadStart()
      .catch((e) => setStartError(String(e instanceof Error ? e.message : e)));
    return () => {
      window.removeEventListener('hashchange', onHash);
      offs.forEach((off) => off());
    };
  }, []);

  if (startError) return <ErrorBox message={`Cannot reach the Lockstep back end: ${startError}`} />;
  if (!repoLoaded) return <div className="loading">Loading…</div>;

  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">Lockstep</div>
        {repo && (
          <>
            <nav className="tabs" aria-label="Views">
              {TABS.map((t) => (
                <a key={t.view} href={`#/${t.view}`} className={route.view === t.view || (t.view === 'drafts' && (route.view === 'draft' || route.view === 'draft-info')) ? 'tab active' : 'tab'} data-testid={`tab-${t.view}`}>
                  {t.label}
                </a>
              ))}
            </nav>
            {indexProgress && indexProgress.percent !== 100 && (
              <span className="muted small" data-testid="index-progress" title="History is indexed in the background; history views open instantly after">
                {indexProgress.phase} ({indexProgress.loaded}/{indexProgress.total})
              </span>
            )}
            <div className="repo-path" title={repo.dir} data-testid="repo-path">
              {repo.demo ? 'Demo repo' : repo.dir}
              {repo.remoteUrl && <span className="muted"> · {repo.remoteUrl}</span>}
            </div>
            <button type="button" onClick={() => void useStore.getState().fetch()} disabled={!!operation || repo.demo} data-testid="fetch" title={repo.demo ? 'The demo repo has no server' : 'Fetch every stream'}>
              Fetch
            </button>
            <button type="button" onClick={() => useStore.getState().closeRepo()} data-testid="switch-repo">
              Switch repo
            </button>
          </>
        )}
      </header>
      {repo && progress && operation?.startsWith('fetch') && <ProgressBar p={progress} />}
      {repo && fetchResult && (
        <div className="notice" data-testid="fetch-result">
          {fetchResult}
        </div>
      )}
      <main className="content">
        {!repo ? (
          <Welcome />
        ) : route.view === 'diff' ? (
          <DiffView />
        ) : route.view === 'history' ? (
          <HistoryView />
        ) : route.view === 'drafts' ? (
          <DraftsView />
        ) : route.view === 'draft' ? (
          <DraftForm />
        ) : route.view === 'draft-info' ? (
          <DraftInfoView />
        ) : route.view === 'edit' ? (
          <Suspense fallback={<div className="loading">Loading the editor…</div>}>
            <RawEditor />
          </Suspense>
        ) : (
          <StreamsView />
        )}
      </main>
      <CredentialPrompt />
    </div>
  );
}
