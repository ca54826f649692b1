/** The app shell: toolbar (repository, fetch), view tabs, the current view, and the credential prompt. */
import { lazy, Suspense, useEffect, useRef } from 'react';
import { on, onConnection } from './api';
import { ErrorBox } from './components/common';
import { Skeleton } from './components/empty-state';
import { useHeadingFocus } from './components/focus';
import { Icon, LogoMark, type IconName } from './components/icons';
import { CredentialPrompt } from './features/credentials';
import { DiffView } from './features/diff/diff-view';
import { DraftInfoView } from './features/draft-info/draft-info-view';
import { DraftForm } from './features/draft-form/draft-form';
import { DraftsView } from './features/drafts/drafts-list';
import { GraduationView } from './features/graduation/graduation-view';
import { OverridesBoardView } from './features/overrides-board';
import { AdvisoriesView } from './features/advisories/advisories-view';
import { HistoryView } from './features/history';
import { lastQuery as lastHistoryQuery } from './features/history-url';
import { FetchProgress, FetchResultNotice, IndexStatus, WriterWait } from './features/progress';
import { SettingsView } from './features/settings/settings-view';
import { StreamsView } from './features/streams/streams-view';
import { Welcome } from './features/welcome/welcome';
import { parseHash, routeHash, useStore, type View } from './store';
import { uiSelectors } from './store/selectors/ui';
import { usePick } from './store/use-pick';
import { repoSelectors } from './store/selectors/repo';
import { diffSelectors } from './store/selectors/diff';

// Monaco (several MB) loads only when the raw editor opens.
const RawEditor = lazy(() => import('./features/raw-editor/raw-editor'));

const TABS: { view: View; label: string; icon: IconName; also?: View[] }[] = [
  { view: 'streams', label: 'Streams', icon: 'stream' },
  { view: 'diff', label: 'Diff', icon: 'diff' },
  { view: 'history', label: 'History', icon: 'history' },
  { view: 'drafts', label: 'Drafts', icon: 'draft', also: ['draft', 'draft-info'] },
  { view: 'overrides', label: 'Overrides', icon: 'draft' },
  { view: 'graduation', label: 'Graduation', icon: 'check' },
  { view: 'advisories', label: 'Advisories', icon: 'alert' },
  { view: 'edit', label: 'Edit', icon: 'edit' },
  { view: 'settings', label: 'Settings', icon: 'settings' },
];

const baseName = (dir: string) => dir.replace(/[\\/]+$/, '').split(/[\\/]/).pop() || dir;

function hostOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

function Toolbar() {
  const { repo, operation, progress } = usePick({ repo: repoSelectors.repo, operation: repoSelectors.operation, progress: repoSelectors.progress });
  if (!repo) {
    return (
      <header className="toolbar-main">
        <div className="brand">
          <LogoMark /> Lockstep
        </div>
      </header>
    );
  }
  const fetching = operation?.kind === 'fetch';
  const remote = hostOf(repo.remoteUrl);
  return (
    <header className="toolbar-main">
      <div className="brand">
        <LogoMark /> Lockstep
      </div>
      <button
        type="button"
        className="tb-segment repo-segment"
        onClick={() => void useStore.getState().closeRepo()}
        disabled={!!operation}
        title={`${repo.dir}${repo.remoteUrl ? `\n${repo.remoteUrl}` : ''}\n\nSwitch repository: back to the start screen (clone, open, recent)`}
        data-testid="switch-repo"
      >
        <Icon name="repo" />
        <span className="tb-text">
          <span className="tb-caption">Current repository</span>
          <span className="tb-value" data-testid="repo-name">
            {repo.demo ? 'Demo repo' : baseName(repo.dir)}
          </span>
        </span>
        <Icon name="chevronDown" className="tb-chevron" />
      </button>
      <button
        type="button"
        className={`tb-segment fetch-segment${fetching ? ' busy' : ''}`}
        onClick={() => void useStore.getState().fetch()}
        disabled={!!operation || repo.demo || !repo.remoteUrl}
        title={repo.demo ? 'The demo repo has no server to fetch from' : !repo.remoteUrl ? 'This clone has no upstream remote' : `Fetch every stream from ${repo.remoteUrl}`}
        data-testid="fetch"
      >
        <Icon name="sync" className={fetching ? 'spin' : undefined} />
        <span className="tb-text">
          <span className="tb-caption">{fetching ? progress?.phase ?? 'Fetching' : 'Fetch streams'}</span>
          <span className="tb-value">
            {fetching ? (progress?.percent != null ? `${progress.percent}%` : 'Fetching…') : repo.demo ? 'no remote (demo)' : remote ? `from ${remote}` : 'no remote'}
          </span>
        </span>
      </button>
      <span className="spacer" />
      <IndexStatus />
    </header>
  );
}

function Tabs() {
  const { route, repo, lastDiffParams } = usePick({ route: uiSelectors.route, repo: repoSelectors.repo, lastDiffParams: diffSelectors.lastDiffParams });
  if (!repo) return null;
  return (
    <nav className="tabbar" aria-label="Views">
      {/* Links in a list: assistive technology announces them as links (a role on the link hid that). */}
      <ul className="tabs nav-list">
        {TABS.map((t) => {
          const active = route.view === t.view || !!t.also?.includes(route.view);
          const href =
            t.view === 'diff' && lastDiffParams ? routeHash('diff', lastDiffParams) : t.view === 'history' ? routeHash('history', lastHistoryQuery() ?? {}) : `#/${t.view}`;
          return (
            <li key={t.view}>
              <a href={href} className={active ? 'tab active' : 'tab'} aria-current={active ? 'page' : undefined} data-testid={`tab-${t.view}`}>
                <Icon name={t.icon} /> {t.label}
              </a>
            </li>
          );
        })}
      </ul>
      <div className="tabbar-path" title={repo.dir} data-testid="repo-path">
        <span className="mono">{repo.dir}</span>
        {repo.remoteUrl && <span className="muted"> · {repo.remoteUrl}</span>}
      </div>
    </nav>
  );
}

function ConnectionBanner() {
  const connection = useStore(uiSelectors.connection);
  if (connection !== 'lost') return null;
  return (
    <div className="notice-bar is-error" role="alert" data-testid="connection-lost">
      <Icon name="alert" />
      <span>Lost the connection to the Lockstep host; retrying. Progress and prompts resume once it is back.</span>
    </div>
  );
}

function CurrentView() {
  const view = useStore(uiSelectors.view);
  switch (view) {
    case 'diff':
      return <DiffView />;
    case 'history':
      return <HistoryView />;
    case 'drafts':
      return <DraftsView />;
    case 'draft':
      return <DraftForm />;
    case 'draft-info':
      return <DraftInfoView />;
    case 'settings':
      return <SettingsView />;
    case 'graduation':
      return <GraduationView />;
    case 'advisories':
      return <AdvisoriesView />;
    case 'overrides':
      return <OverridesBoardView />;
    case 'edit':
      return (
        <Suspense fallback={<Skeleton label="Loading the editor…" lines={12} />}>
          <RawEditor />
        </Suspense>
      );
    default:
      return <StreamsView />;
  }
}

export function App() {
  const { repo, repoLoaded, startError, view } = usePick({ repo: repoSelectors.repo, repoLoaded: repoSelectors.repoLoaded, startError: repoSelectors.startError, view: uiSelectors.view });
  const main = useRef<HTMLElement>(null);
  // The page first drawn keeps the browser's own focus; every later change of view moves it.
  useHeadingFocus(!repoLoaded ? null : repo ? view : 'welcome', main);

  useEffect(() => {
    const onHash = () => useStore.getState().setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', onHash);
    const offs = [
      onConnection((connection) => {
        const was = useStore.getState().connection;
        useStore.setState({ connection });
        // Events may have been missed while the host was unreachable: re-read the repo.
        if (was === 'lost' && connection === 'open') void useStore.getState().start();
      }),
      on('op:progress', (p) => useStore.getState().setProgress(p)),
      on('credentials:request', (r) => useStore.getState().askCredential(r)),
      on('repo:changed', (info) => useStore.getState().repoChanged(info)),
      on('drafts:changed', ({ branch, state }) => {
        const s = useStore.getState();
        void s.loadDrafts().then(() => {
          // Without a forge token the PR is opened by hand: its page opens once the push lands.
          if ((state.kind === 'pushed' || state.kind === 'checks-pending') && s.takePushedHere(branch)) {
            const url = useStore.getState().drafts?.find((d) => d.branch === branch)?.push?.prUrl;
            if (url && /^https:\/\//.test(url)) window.open(url, '_blank', 'noopener');
          }
        });
      }),
    ];
    void useStore.getState().start();
    return () => {
      window.removeEventListener('hashchange', onHash);
      offs.forEach((off) => off());
    };
  }, []);

  useEffect(() => {
    document.title = repo ? `${repo.demo ? 'Demo repo' : baseName(repo.dir)} — Lockstep` : 'Lockstep';
  }, [repo]);

  if (startError) {
    return (
      <div className="app">
        <Toolbar />
        <main className="content">
          <section className="page">
            <h1>Lockstep cannot start</h1>
            <ErrorBox message={`Cannot reach the Lockstep back end: ${startError}`} testid="start-error" />
            <button type="button" onClick={() => location.reload()}>
              Reload
            </button>
          </section>
        </main>
      </div>
    );
  }
  if (!repoLoaded) {
    return (
      <div className="app">
        <Toolbar />
        <main className="content">
          <Skeleton label="Starting…" lines={4} />
        </main>
      </div>
    );
  }

  return (
    <div className="app">
      <Toolbar />
      <FetchProgress />
      <WriterWait />
      <Tabs />
      <ConnectionBanner />
      {repo && <FetchResultNotice />}
      <main className="content" ref={main}>
        {repo ? <CurrentView /> : <Welcome />}
      </main>
      <CredentialPrompt />
    </div>
  );
}
