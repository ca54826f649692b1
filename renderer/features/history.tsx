/** A package's (or a source package's) version history across streams: a chart and the changes. */
import { LOCK_ARCHES } from '../../shared/rpm/arches';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { ErrorBox, Sha, shortDate } from '../components/common';
import { useStore } from '../store';
import type { PointRef } from './timeline-chart';

const TimelineChart = lazy(() => import('./timeline-chart'));
const ARCHES: readonly string[] = LOCK_ARCHES;

export function HistoryView() {
  const route = useStore((s) => s.route);
  const history = useStore((s) => s.history);
  const loading = useStore((s) => s.historyLoading);
  const error = useStore((s) => s.historyError);
  const navigate = useStore((s) => s.navigate);
  const name = route.params.name ?? '';
  const arch = route.params.arch ?? 'x86_64';
  const [input, setInput] = useState(name);
  const [binary, setBinary] = useState<string | null>(null);
  const [stream, setStream] = useState<string | null>(null);

  useEffect(() => {
    setInput(name);
    setBinary(null);
    if (name) void useStore.getState().loadHistory(name, arch);
  }, [name, arch]);

  const shownBinary = binary ?? (history?.binaries.includes(name) ? name : history?.binaries[0]) ?? name;
  const onPick = useCallback((p: PointRef) => navigate('diff', { from: `${p.commit}^`, to: p.commit }), [navigate]);
  const lanes = history?.lanes.filter((l) => l.entries.length > 0) ?? [];
  const lane = lanes.find((l) => l.stream === stream) ?? lanes[0];

  return (
    <section className="history">
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          navigate('history', { name: input.trim(), arch });
        }}
      >
        <label className="inline">
          Package or source package
          <input value={input} onChange={(e) => setInput(e.target.value)} placeholder="kernel, podman, lvm2…" data-testid="history-name" spellCheck={false} />
        </label>
        <label className="inline">
          Arch
          <select value={arch} onChange={(e) => navigate('history', { name, arch: e.target.value })} data-testid="history-arch">
            {ARCHES.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary" data-testid="history-show">
          Show
        </button>
        {name && (
          <button type="button" onClick={() => navigate('draft', { name: history?.source ?? name })} data-testid="history-draft">
            Draft a pin…
          </button>
        )}
      </form>
      <ErrorBox message={error} testid="history-error" />
      {!name && <div className="empty">Type a package name to see how its version moved on every stream.</div>}
      {loading && <div className="loading">Reading history… (the first time indexes each stream; later it is instant)</div>}
      {history && !loading && (
        <>
          <h1>
            {history.name}
            {history.source && history.source !== history.name && <span className="muted small"> from source {history.source}</span>}
            {history.source === history.name && history.binaries.length > 1 && <span className="muted small"> source package · {history.binaries.length} binaries</span>}
          </h1>
          {history.binaries.length > 1 && (
            <div className="filters">
              {history.binaries.map((b) => (
                <button type="button" key={b} className={`chip ${b === shownBinary ? 'active' : 'dim'}`} onClick={() => setBinary(b)} data-testid="binary-chip">
                  {b}
                </button>
              ))}
            </div>
          )}
          {lanes.length === 0 ? (
            <div className="empty">{history.name} never appears in a {arch} lockfile of any stream.</div>
          ) : (
            <>
              <Suspense fallback={<div className="chart loading">Loading chart…</div>}>
                <TimelineChart history={history} binary={shownBinary} onPick={onPick} />
              </Suspense>
              <nav className="tabs sub" aria-label="Streams">
                {lanes.map((l) => (
                  <a key={l.stream} href="#" className={l === lane ? 'tab active' : 'tab'} onClick={(e) => (e.preventDefault(), setStream(l.stream))} data-testid={`history-lane-${l.stream}`}>
                    {l.stream} <span className="count">{l.entries.length}</span>
                  </a>
                ))}
              </nav>
              <table className="grid" data-testid="history-table">
                <thead>
                  <tr>
                    <th>Date</th>
                    <th>Commit</th>
                    {history.binaries.length > 1 && <th>Package</th>}
                    <th>Version</th>
                    <th>Rationale</th>
                    <th>Author</th>
                  </tr>
                </thead>
                <tbody>
                  {lane?.entries.map((e) => (
                    <tr key={`${e.commit}-${e.name}`} data-testid="history-row">
                      <td>{shortDate(e.date)}</td>
                      <td>
                        <a href={`#/diff?from=${e.commit}%5E&to=${e.commit}`}>
                          <Sha oid={e.commit} />
                        </a>
                      </td>
                      {history.binaries.length > 1 && <td>{e.name}</td>}
                      <td className="mono">
                        {e.evr ? `${e.evr}.${e.arch}` : <span className="muted">absent</span>}{' '}
                        {e.override && (
                          <span className={`badge ov-${e.override.type}`} title={e.override.file}>
                            {e.override.type}
                          </span>
                        )}
                      </td>
                      <td className="rationale">
                        <details>
                          <summary>{e.subject}</summary>
                          <pre>{linkify(e.message)}</pre>
                          {e.merged && (
                            <ul>
                              {e.merged.map((m) => (
                                <li key={m.commit}>
                                  <Sha oid={m.commit} /> {m.subject}
                                </li>
                              ))}
                            </ul>
                          )}
                        </details>
                      </td>
                      <td className="muted">{e.author.name}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </>
      )}
    </section>
  );
}

function linkify(text: string) {
  return text.split(/(https:\/\/[^\s)]+)/g).map((part, i) =>
    /^https:\/\//.test(part) ? (
      <a key={i} href={part} target="_blank" rel="noreferrer noopener">
        {part}
      </a>
    ) : (
      part
    ),
  );
}
