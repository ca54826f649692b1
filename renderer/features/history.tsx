/** A package's (or a source package's) version history across streams: a chart and the changes. */
import { LOCK_ARCHES } from '../../shared/rpm/arches';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { defaultCharted, orderedLanes, type HistoryRow } from '../../shared/history/view';
import { VirtualTable } from '../components/virtual-rows';
import { ErrorBox, Sha, shortDate } from '../components/common';
import { routeHash, useStore } from '../store';
import { fromDay, historyParams, readHistoryQuery, rememberQuery, rememberStream, toDay, type HistoryQuery } from './history-url';
import { ReachedLine } from './history-reached';
import type { PointRef, ZoomRange } from './timeline-chart';
import type { DeepReadonly } from '../../shared/readonly';

const ARCHES: readonly string[] = LOCK_ARCHES;
// ECharts loads with the first chart, not with the app.
const TimelineChart = lazy(() => import('./timeline-chart'));
const DAY_MS = 86_400_000;
/** Zoom presets: a keyboard path to the chart's zoom, counted back from the newest change. */
const PRESETS: { label: string; days: number }[] = [
  { label: 'week', days: 7 },
  { label: '1 month', days: 31 },
  { label: '6 months', days: 183 },
  { label: '1 year', days: 366 },
];

export function HistoryView() {
  const route = useStore((s) => s.route);
  const history = useStore((s) => s.history);
  const loading = useStore((s) => s.historyLoading);
  const error = useStore((s) => s.historyError);
  const indexing = useStore((s) => s.historyIndexing);
  const navigate = useStore((s) => s.navigate);
  const replaceParams = useStore((s) => s.replaceParams);
  const query = useMemo(() => readHistoryQuery(route.params), [route.params]);
  const { name, arch, stream, binary } = query;
  /** A new history entry with the query changed: back returns to the one before. */
  const ask = useCallback((change: Partial<HistoryQuery>) => navigate('history', historyParams({ ...query, ...change })), [navigate, query]);
  const [input, setInput] = useState(name);

  useEffect(() => {
    setInput(name);
    // The lane shown (the URL's stream, else the last one chosen) is asked for first; the others are added as their index lands.
    if (name) void useStore.getState().loadHistory(name, arch, stream);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a tab switch shows a lane already asked for
  }, [name, arch]);
  useEffect(() => {
    if (name) rememberQuery(route.params);
  }, [name, route.params]);
  // Leaving the view drops its history: coming back reads it afresh without first drawing the old one.
  useEffect(() => () => useStore.getState().resetHistory(), []);

  const shownBinary = binary ?? (history?.binaries.includes(name) ? name : history?.binaries[0]) ?? name;
  const onPick = useCallback((p: PointRef) => navigate('diff', { from: `${p.commit}^`, to: p.commit }), [navigate]);
  const lanes = useMemo(() => (history ? orderedLanes(history) : []), [history]);
  const [charted, setCharted] = useState<string[] | null>(null);
  // A new package starts from the default lanes; a lane landing later keeps the user's choice.
  useEffect(() => setCharted(null), [history?.name, history?.arch]);
  const chartedStreams = useMemo(() => {
    const on = charted ?? defaultCharted(lanes);
    return lanes.map((l) => l.stream).filter((s) => on.includes(s));
  }, [charted, lanes]);
  const lane = lanes.find((l) => l.stream === stream) ?? lanes[0];
  const zoom = useMemo<ZoomRange>(() => ({ from: query.from ? fromDay(query.from) : null, to: query.to ? fromDay(query.to) + DAY_MS - 1 : null }), [query.from, query.to]);
  // The chart reports every move of its zoom: the URL follows in place (no entry per drag step).
  const onZoom = useCallback((z: ZoomRange) => replaceParams({ from: z.from === null ? undefined : toDay(z.from), to: z.to === null ? undefined : toDay(z.to) }), [replaceParams]);
  const newest = useMemo(() => Math.max(0, ...lanes.filter((l) => chartedStreams.includes(l.stream)).map((l) => Date.parse(l.rows[0]?.date ?? '') || 0)), [lanes, chartedStreams]);
  const rows = lane?.rows ?? [];
  const [selected, setSelectedState] = useState<string | null>(null);
  const setSelected = useCallback((c: string | null) => {
    setSelectedState(c);
    void useStore.getState().openHistoryCommit(c);
  }, []);
  const picked = rows.find((r) => r.commit === selected) ?? null;
  const several = (history?.binaries.length ?? 0) > 1;
  const toggle = (s: string) => {
    const on = charted ?? defaultCharted(lanes);
    setCharted(on.includes(s) ? on.filter((x) => x !== s) : [...on, s]);
  };

  return (
    <section className="history">
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          ask({ name: input.trim(), binary: null, reached: null, from: null, to: null });
        }}
      >
        <label className="inline">
          Package or source package
          <input value={input} onChange={(e) => setInput(e.target.value)} placeholder="kernel, podman, lvm2…" data-testid="history-name" spellCheck={false} />
        </label>
        <label className="inline">
          Arch
          <select value={arch} onChange={(e) => ask({ arch: e.target.value })} data-testid="history-arch">
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
      {loading && <div className="loading">Reading history… (the first time indexes this stream; later it is instant)</div>}
      {/* One heading, always there (read aloud as "History" until a package is shown): focus put on it after navigation stays through the load. */}
      {history && !loading ? (
        <h1 key="heading">
          {history.name}
          {history.source && history.source !== history.name && <span className="muted small"> from source {history.source}</span>}
          {history.source === history.name && history.binaries.length > 1 && <span className="muted small"> source package · {history.binaries.length} binaries</span>}
        </h1>
      ) : (
        <h1 key="heading" className="sr-only">
          History
        </h1>
      )}
      {history && !loading && (
        <>
          {history.binaries.length > 1 && (
            <div className="filters">
              {history.binaries.map((b) => (
                <button type="button" key={b} className={`chip ${b === shownBinary ? 'active' : 'dim'}`} onClick={() => ask({ binary: b })} aria-pressed={b === shownBinary} data-testid="binary-chip">
                  {b}
                </button>
              ))}
            </div>
          )}
          {lanes.length === 0 ? (
            indexing.pending.length > 0 ? (
              <IndexingNote pending={indexing.pending.length} total={indexing.total} />
            ) : (
              <div className="empty">{history.name} never appears in a {arch} lockfile of any stream.</div>
            )
          ) : (
            <>
              <div className="filters lane-toggles" role="group" aria-label="Streams on the chart">
                <span className="muted small">Charted:</span>
                {lanes.map((l) => (
                  <button
                    type="button"
                    key={l.stream}
                    className={`chip ${chartedStreams.includes(l.stream) ? 'active' : 'dim'}`}
                    aria-pressed={chartedStreams.includes(l.stream)}
                    onClick={() => toggle(l.stream)}
                    data-testid={`chart-toggle-${l.stream}`}
                  >
                    {l.stream}
                  </button>
                ))}
              </div>
              {indexing.pending.length > 0 && <IndexingNote pending={indexing.pending.length} total={indexing.total} />}
              {chartedStreams.length > 0 && (
                <>
                  <div className="history-controls">
                  <div className="filters zoom-presets" role="group" aria-label="Chart time range">
                    <span className="muted small">Show:</span>
                    {PRESETS.map((p) => {
                      const from = toDay(newest - p.days * DAY_MS);
                      const to = toDay(newest);
                      const on = query.from === from && query.to === to;
                      return (
                        <button type="button" key={p.label} className={`chip ${on ? 'active' : 'dim'}`} aria-pressed={on} onClick={() => ask({ from, to })} data-testid={`zoom-${p.days}`}>
                          last {p.label}
                        </button>
                      );
                    })}
                    <button type="button" className={`chip ${!query.from && !query.to ? 'active' : 'dim'}`} aria-pressed={!query.from && !query.to} onClick={() => ask({ from: null, to: null })} data-testid="zoom-all">
                      whole history
                    </button>
                    {(query.from || query.to) && (
                      <span className="muted small" data-testid="zoom-range">
                        {query.from ?? '…'} → {query.to ?? '…'}
                      </span>
                    )}
                    </div>
                    <ReachedLine lanes={lanes.filter((l) => chartedStreams.includes(l.stream))} binary={shownBinary} version={query.reached} onAsk={(reached) => ask({ reached })} />
                  </div>
                  <Suspense fallback={<div className="timeline loading" style={{ height: 18 + chartedStreams.length * 28 + 46 }} />}>
                    <TimelineChart history={history} binary={shownBinary} streams={chartedStreams} zoom={zoom} onPick={onPick} onZoom={onZoom} />
                  </Suspense>
                </>
              )}
              <nav className="tabs sub lane-tabs" aria-label="Streams">
                {lanes.map((l) => (
                  <a
                    key={l.stream}
                    href={routeHash('history', historyParams({ ...query, stream: l.stream }))}
                    className={l === lane ? 'tab active' : 'tab'}
                    aria-current={l === lane ? 'true' : undefined}
                    onClick={() => (rememberStream(l.stream), setSelected(null))}
                    data-testid={`history-lane-${l.stream}`}
                  >
                    {l.stream} <span className="count">{l.rows.length}</span>
                  </a>
                ))}
              </nav>
              {picked && <RowDetails row={picked} onClose={() => setSelected(null)} />}
              <VirtualTable
                items={rows}
                rowHeight={ROW_HEIGHT}
                testid="history-table"
                className="history-rows"
                label={`Changes of ${history.name} on ${lane?.stream ?? ''}`}
                head={
                  <>
                    <colgroup>
                      <col style={{ width: 96 }} />
                      <col style={{ width: 110 }} />
                      <col style={{ width: several ? '34%' : '24%' }} />
                      <col />
                      <col style={{ width: 140 }} />
                    </colgroup>
                    <thead>
                      <tr>
                        <th>Date</th>
                        <th>Commit</th>
                        <th>{several ? 'Versions' : 'Version'}</th>
                        <th>Rationale</th>
                        <th>Author</th>
                      </tr>
                    </thead>
                  </>
                }
                row={(r) => (
                  <tr
                    key={r.commit}
                    data-testid="history-row"
                    className={r.commit === selected ? 'selected' : undefined}
                    style={{ height: ROW_HEIGHT }}
                    onClick={() => setSelected(r.commit)}
                  >
                    <td>{shortDate(r.date)}</td>
                    <td>
                      <a
                        href={routeHash('diff', { from: `${r.commit}^`, to: r.commit })}
                        onClick={(e) => e.stopPropagation()}
                        aria-label={`Diff of ${r.commit.slice(0, 12)} against its parent`}
                        data-testid="history-commit-link"
                      >
                        <Sha oid={r.commit} />
                      </a>
                    </td>
                    <td className="mono clip" title={r.changes.map(changeText).join('\n')}>
                      {r.changes.length === 1 ? (
                        <Version c={r.changes[0]} />
                      ) : sameVersion(r.changes) ? (
                        <>
                          <Version c={r.changes[0]} /> <span className="muted">· {r.changes.length} binaries</span>
                        </>
                      ) : (
                        r.changes.map((c, i) => (
                          <span key={c.name}>
                            {i > 0 && ' · '}
                            <span className="muted">{c.name}</span> <Version c={c} />
                          </span>
                        ))
                      )}
                    </td>
                    <td className="clip">
                      <button type="button" className="link" onClick={() => setSelected(r.commit)} aria-expanded={r.commit === selected} data-testid="history-row-open">
                        {r.subject}
                      </button>
                    </td>
                    <td className="muted clip">{r.author}</td>
                  </tr>
                )}
              />
            </>
          )}
        </>
      )}
    </section>
  );
}

const ROW_HEIGHT = 32;

/** The lanes still to come: their streams' indexes are being built (a fresh clone). */
function IndexingNote({ pending, total }: { pending: number; total: number }) {
  return (
    <p className="muted small chart-note" role="status" data-testid="history-indexing">
      <span className="spinner" aria-hidden="true" /> indexing {pending} of {total} streams: their lanes are added as each index is built
    </p>
  );
}

const changeText = (c: DeepReadonly<HistoryRow['changes'][number]>) => `${c.name} ${c.evr ? `${c.evr}.${c.arch}` : 'absent'}${c.override ? ` (${c.override.type})` : ''}`;

const sameVersion = (cs: DeepReadonly<HistoryRow['changes']>) => cs.every((c) => c.evr === cs[0].evr && c.arch === cs[0].arch && c.override?.type === cs[0].override?.type);

function Version({ c }: { c: DeepReadonly<HistoryRow['changes'][number]> }) {
  return (
    <>
      {c.evr ? `${c.evr}.${c.arch}` : <span className="muted">absent</span>}
      {c.override && (
        <>
          {' '}
          <span className={`badge ov-${c.override.type}`} title={c.override.file}>
            {c.override.type}
          </span>
        </>
      )}
    </>
  );
}

/** The whole rationale of the selected commit: message, merged commits, every binary it moved. */
function RowDetails({ row, onClose }: { row: DeepReadonly<HistoryRow>; onClose: () => void }) {
  const m = useStore((s) => s.historyMessage);
  const text = m?.commit !== row.commit ? null : 'error' in m ? `Could not read the message: ${m.error}` : m.message;
  return (
    <div className="card history-details" data-testid="history-details">
      <div className="row between">
        <strong>
          {shortDate(row.date)} · <Sha oid={row.commit} /> · {row.author}
        </strong>
        <button type="button" onClick={onClose} aria-label="Close the commit's details">
          Close
        </button>
      </div>
      {text === null ? <p className="muted">Reading the message…</p> : <pre>{linkify(text)}</pre>}
      {row.merged && (
        <ul>
          {row.merged.map((m) => (
            <li key={m.commit}>
              <Sha oid={m.commit} /> {m.subject}
            </li>
          ))}
        </ul>
      )}
      {row.changes.length > 1 && <p className="mono small">{row.changes.map(changeText).join(' · ')}</p>}
    </div>
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
