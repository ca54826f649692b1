/**
 * The diff between two refs: per-arch tabs and an all-arches view side by side, changes grouped
 * by source package, filters by text, kind and overrides, a virtualized list, keyboard
 * navigation, a details panel, and export as Markdown or JSON. The URL hash holds the view
 * (`#/diff?from=stable&to=testing-devel&arch=x86_64`), so a reload restores it.
 */
import { useDeferredValue, useEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { CHANGE_KINDS, KIND_LABEL, type ArchDiff, type ChangeKind } from '../../../shared/lockfile/diff';
import type { OverrideEntry } from '../../../shared/lockfile/types';
import { ErrorBox } from '../../components/common';
import { EmptyState, Skeleton } from '../../components/empty-state';
import { Icon } from '../../components/icons';
import { CommitDate } from '../../components/version';
import { routeHash, useStore, type RouteParams } from '../../store';
import { DetailsPanel } from './details-panel';
import { DiffList, ListHeader, type Columns } from './diff-list';
import { diffExport, downloadJson, exportFileName } from './export';
import { ALL_ARCHES, kindCounts, matchRows, packageRows, visibleRows, type ChangeRow } from './rows';

/** The diff shown when none is asked for: stable → testing-devel, else the two first streams. */
export function defaultDiffParams(streams: string[]): { from: string; to: string } | null {
  if (streams.includes('stable') && streams.includes('testing-devel')) return { from: 'stable', to: 'testing-devel' };
  if (streams.length >= 2) return { from: streams[1], to: streams[0] };
  if (streams.length === 1) return { from: `${streams[0]}~1`, to: streams[0] };
  return null;
}

function CompareBar({ from, to, overrides, onCompare }: { from: string; to: string; overrides: boolean; onCompare(p: RouteParams): void }) {
  const refs = useStore((s) => s.refs);
  const [fromInput, setFromInput] = useState(from);
  const [toInput, setToInput] = useState(to);
  useEffect(() => {
    setFromInput(from);
    setToInput(to);
  }, [from, to]);
  const ready = fromInput.trim() !== '' && toInput.trim() !== '';
  const changed = fromInput.trim() !== from || toInput.trim() !== to;
  return (
    <form
      className="compare-bar"
      onSubmit={(e) => {
        e.preventDefault();
        if (ready) onCompare({ from: fromInput.trim(), to: toInput.trim() });
      }}
    >
      <datalist id="diff-refs">
        {refs.map((r) => (
          <option key={`${r.kind}:${r.name}`} value={r.name} label={`${r.kind} · ${r.oid.slice(0, 7)}`} />
        ))}
      </datalist>
      <label className="ref-field">
        <span className="ref-label">From</span>
        <input list="diff-refs" value={fromInput} onChange={(e) => setFromInput(e.target.value)} data-testid="diff-from" spellCheck={false} autoComplete="off" className="mono" placeholder="stream, branch, tag or commit" aria-label="From ref" />
      </label>
      <button type="button" className="icon-btn bordered" title="Swap the sides" aria-label="Swap the sides" onClick={() => onCompare({ from: to, to: from })} data-testid="swap">
        <Icon name="swap" />
      </button>
      <label className="ref-field">
        <span className="ref-label">To</span>
        <input list="diff-refs" value={toInput} onChange={(e) => setToInput(e.target.value)} data-testid="diff-to" spellCheck={false} autoComplete="off" className="mono" placeholder="stream, branch, tag or commit" aria-label="To ref" />
      </label>
      <button type="submit" className={changed ? 'primary' : undefined} disabled={!ready} data-testid="compare">
        Compare
      </button>
      <label className="switch" title="Off: compare the lockfiles alone, without the override files applied">
        <input type="checkbox" role="switch" checked={overrides} onChange={(e) => onCompare({ overrides: e.target.checked ? undefined : 'off' })} data-testid="toggle-overrides" />
        <span className="switch-track" aria-hidden="true" />
        Overrides applied
      </label>
    </form>
  );
}

function Sides() {
  const diff = useStore((s) => s.diff);
  if (!diff) return null;
  const side = (s: typeof diff.from, testid: string) => (
    <div className="side" data-testid={testid}>
      <span className="side-ref">{s.input}</span>
      <code className="sha" title={`${s.commit}\n${s.ref}`}>
        {s.commit.slice(0, 10)}
      </code>
      <CommitDate iso={s.date} />
      <span className="side-subject" title={s.subject}>
        {s.subject}
      </span>
    </div>
  );
  return (
    <div className="sides" data-testid="diff-sides">
      {side(diff.from, 'side-from')}
      <Icon name="arrowRight" className="sides-arrow" />
      {side(diff.to, 'side-to')}
      {!diff.overrides && <span className="tag warn-tag">lockfiles only, overrides not applied</span>}
    </div>
  );
}

function InertList({ title, entries }: { title: string; entries: OverrideEntry[] }) {
  return (
    <div className="inert-line">
      <span className="inert-title">{title}</span>
      {entries.map((o, i) => (
        <span key={o.name} className="inert-entry" title={`${o.type ?? 'override'} in ${o.file}`}>
          {i > 0 && ', '}
          <span className="mono">{o.name}</span> <span className="mono muted">{o.evr}</span> <span className="muted">({o.type ?? 'override'})</span>
        </span>
      ))}
    </div>
  );
}

/** Under the list, per arch: overrides that constrain nothing there, and (overrides only) packages an override holds unchanged. */
function ArchFooter({ arches, fromLabel, toLabel, overridesOnly }: { arches: ArchDiff[]; fromLabel: string; toLabel: string; overridesOnly: boolean }) {
  const lines = arches.flatMap((a) => {
    const out: ReactElement[] = [];
    const same = a.inertFrom.length === a.inertTo.length && a.inertFrom.every((o, i) => o.name === a.inertTo[i]?.name && o.evr === a.inertTo[i]?.evr);
    if (same && a.inertTo.length) out.push(<InertList key={`${a.arch}-inert`} title={`${a.arch} · inert on both sides (not in the lockfile):`} entries={a.inertTo} />);
    else {
      if (a.inertFrom.length) out.push(<InertList key={`${a.arch}-inert-from`} title={`${a.arch} · inert in ${fromLabel}:`} entries={a.inertFrom} />);
      if (a.inertTo.length) out.push(<InertList key={`${a.arch}-inert-to`} title={`${a.arch} · inert in ${toLabel}:`} entries={a.inertTo} />);
    }
    if (overridesOnly && a.overridden.length) {
      out.push(
        <div key={`${a.arch}-held`} className="inert-line">
          <span className="inert-title">{a.arch} · unchanged, decided by an override:</span> <span className="mono">{a.overridden.join(', ')}</span>
        </div>,
      );
    }
    return out;
  });
  if (!lines.length) return null;
  const anyInert = arches.some((a) => a.inertFrom.length || a.inertTo.length);
  return (
    <div className="arch-footer" data-testid="inert">
      {anyInert && (
        <div className="footer-note">
          <Icon name="info" /> Inert overrides name a package the arch's lockfile lacks: they constrain nothing there and are never "added".
        </div>
      )}
      {lines}
    </div>
  );
}

export function DiffView() {
  const { params, navigate, replaceParams } = useStore(useShallow((s) => ({ params: s.route.params, navigate: s.navigate, replaceParams: s.replaceParams })));
  const { diff, diffQuery, loading, error, notice, dataVersion, streamNames } = useStore(
    useShallow((s) => ({
      diff: s.diff,
      diffQuery: s.diffQuery,
      loading: s.diffLoading,
      error: s.diffError,
      notice: s.exportNotice,
      dataVersion: s.dataVersion,
      streamNames: s.repo?.streams,
    })),
  );

  const fallback = defaultDiffParams(streamNames ?? []);
  const from = params.from ?? fallback?.from ?? '';
  const to = params.to ?? fallback?.to ?? '';
  const overrides = params.overrides !== 'off';
  const tab = params.arch ?? ALL_ARCHES;
  const text = params.q ?? '';
  const hidden = useMemo(() => new Set((params.hide ?? '').split(',').filter((k): k is ChangeKind => (CHANGE_KINDS as readonly string[]).includes(k))), [params.hide]);
  const overridesOnly = params.only === 'overrides';

  const [selectedKey, setSelectedKey] = useState<string | null>(null);
  const [detailsOpen, setDetailsOpen] = useState(false);
  const [scrollRequest, setScrollRequest] = useState(0);
  const filterRef = useRef<HTMLInputElement>(null);

  // Keep the view in the URL (defaults written out) and remembered for the Diff tab.
  const viewKey = routeHash('diff', { ...params, from, to });
  useEffect(() => {
    const p = useStore.getState().route.params;
    if (!p.from && !p.to && from && to) replaceParams({ from, to });
    useStore.getState().rememberDiffParams({ ...p, from, to });
  }, [viewKey, from, to, replaceParams]);

  // Load when the sides change, or when the repo's refs may have moved (a fetch).
  const loadedVersion = useRef<number | null>(null);
  useEffect(() => {
    if (!from || !to) return;
    const q = useStore.getState().diffQuery;
    const lastVersion = loadedVersion.current;
    loadedVersion.current = dataVersion;
    if (q && q.from === from && q.to === to && q.overrides === overrides && lastVersion === dataVersion) return;
    void useStore.getState().loadDiff({ from, to, overrides });
  }, [from, to, overrides, dataVersion]);

  const current = diff && diffQuery && diffQuery.from === from && diffQuery.to === to && diffQuery.overrides === overrides ? diff : null;
  const arches = current?.arches ?? [];
  const knownTab = tab === ALL_ARCHES || arches.some((a) => a.arch === tab);
  const shown = useMemo(() => (tab === ALL_ARCHES || !knownTab ? arches : arches.filter((a) => a.arch === tab)), [arches, tab, knownTab]);

  const deferredText = useDeferredValue(text);
  const all = useMemo(() => packageRows(shown), [shown]);
  const matching = useMemo(() => matchRows(all, { text: deferredText, overridesOnly }), [all, deferredText, overridesOnly]);
  const counts = useMemo(() => kindCounts(matching), [matching]);
  const rows = useMemo(() => visibleRows(matching, hidden), [matching, hidden]);
  const changeRows = useMemo(() => rows.filter((r): r is ChangeRow => r.type === 'change'), [rows]);
  const sources = useMemo(() => new Set(changeRows.map((r) => r.source)).size, [changeRows]);
  const selected = changeRows.find((r) => r.key === selectedKey) ?? null;

  const columns = useMemo<Columns>(
    () => ({
      arches: shown.map((a) => a.arch),
      multi: shown.length > 1,
      fromLabel: current?.from.input ?? from,
      toLabel: current?.to.input ?? to,
    }),
    [shown, current, from, to],
  );

  const setParams = (p: RouteParams) => replaceParams(p);
  const go = (p: RouteParams) => navigate('diff', { ...params, from, to, ...p });
  const toggleKind = (k: ChangeKind) => {
    const next = new Set(hidden);
    if (next.has(k)) next.delete(k);
    else next.add(k);
    setParams({ hide: [...next].join(',') || undefined });
  };
  const clearFilters = () => setParams({ q: undefined, hide: undefined, only: undefined });

  // Keyboard: ↑/↓ or j/k move, Enter opens the details, / focuses the filter, Escape closes or clears.
  const keyState = useRef({ changeRows, selectedKey, detailsOpen, text });
  keyState.current = { changeRows, selectedKey, detailsOpen, text };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      if (document.querySelector('[aria-modal="true"]')) return;
      const t = e.target as HTMLElement;
      const typing = t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable;
      const s = keyState.current;
      const move = (delta: number) => {
        if (!s.changeRows.length) return;
        const i = s.changeRows.findIndex((r) => r.key === s.selectedKey);
        const n = i < 0 ? (delta > 0 ? 0 : s.changeRows.length - 1) : Math.max(0, Math.min(s.changeRows.length - 1, i + delta));
        setSelectedKey(s.changeRows[n].key);
        setScrollRequest((x) => x + 1);
        // Keep the keyboard on the list, so Enter opens the selection rather than pressing a button.
        document.querySelector<HTMLElement>('[data-testid="diff-rows"]')?.focus({ preventScroll: true });
      };
      if (e.key === 'Escape') {
        if (t === filterRef.current && s.text) {
          setParams({ q: undefined });
        } else if (s.detailsOpen) {
          setDetailsOpen(false);
        } else if (typing) {
          t.blur();
        } else if (s.text) {
          setParams({ q: undefined });
        } else {
          setSelectedKey(null);
        }
        e.preventDefault();
        return;
      }
      if (t === filterRef.current && (e.key === 'ArrowDown' || e.key === 'Enter')) {
        e.preventDefault();
        t.blur();
        document.querySelector<HTMLElement>('[data-testid="diff-rows"]')?.focus();
        move(s.selectedKey ? 0 : 1);
        return;
      }
      if (typing) return;
      if (e.key === '/') {
        e.preventDefault();
        filterRef.current?.focus();
        filterRef.current?.select();
      } else if (e.key === 'ArrowDown' || e.key === 'j') {
        e.preventDefault();
        move(1);
      } else if (e.key === 'ArrowUp' || e.key === 'k') {
        e.preventDefault();
        move(-1);
      } else if (e.key === 'Enter' && t.tagName !== 'BUTTON' && t.tagName !== 'A') {
        if (s.selectedKey) {
          e.preventDefault();
          setDetailsOpen(true);
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
    // Reads the latest rows and selection through keyState; replaceParams is a stable store action.
  }, []);

  const exportJson = () => {
    if (!current) return;
    downloadJson(exportFileName(current, tab === ALL_ARCHES ? null : tab), diffExport(current, shown.map((a) => a.arch)));
  };

  const missingLockfile = shown.filter((a) => !a.fromHasLockfile || !a.toHasLockfile);
  const totalChanges = arches.reduce((n, a) => n + a.changes.length, 0);
  const allPackages = useMemo(() => (tab === ALL_ARCHES ? all.length : packageRows(arches).length), [tab, all, arches]);

  return (
    <section className="page diff-page" data-testid="diff-view">
      <div className="diff-top">
        <CompareBar from={from} to={to} overrides={overrides} onCompare={go} />
        <div className="export-actions">
          <button type="button" onClick={() => void useStore.getState().copyMarkdown(tab === ALL_ARCHES ? undefined : [tab])} disabled={!current} data-testid="copy-md" title="Copy the diff as a Markdown table, for a PR body or release notes">
            <Icon name="copy" /> Copy as Markdown
          </button>
          <button type="button" onClick={exportJson} disabled={!current} data-testid="export-json" title="Download the diff as JSON">
            <Icon name="download" /> Export JSON
          </button>
        </div>
      </div>
      {current && <Sides />}
      {!from || !to ? (
        <EmptyState icon="diff" title="Pick two refs to compare" testid="diff-empty">
          Type a stream, branch, tag or commit id in From and To, then Compare.
        </EmptyState>
      ) : error && diffQuery?.from === from && diffQuery?.to === to ? (
        <ErrorBox message={error} testid="diff-error" />
      ) : !current ? (
        <Skeleton label={`Comparing ${from} → ${to}…`} lines={10} />
      ) : (
        <>
          <div className="arch-tabs" role="tablist" aria-label="Arches">
            <button type="button" role="tab" aria-selected={tab === ALL_ARCHES || !knownTab} className="arch-tab" onClick={() => setParams({ arch: undefined })} data-testid="arch-tab-all">
              All arches <span className="count" title="Packages changed on any arch">{allPackages}</span>
            </button>
            {arches.map((a) => (
              <button type="button" role="tab" key={a.arch} aria-selected={tab === a.arch} className="arch-tab" onClick={() => setParams({ arch: a.arch })} data-testid={`arch-tab-${a.arch}`}>
                <span className="mono">{a.arch}</span> <span className="count">{a.changes.length}</span>
              </button>
            ))}
            {loading && <span className="tab-status" role="status"><span className="spinner" aria-hidden="true" /> Updating…</span>}
          </div>
          <div className="filter-bar">
            <div className="chips" role="group" aria-label="Change kinds">
              {CHANGE_KINDS.map((k) => (
                <button type="button" key={k} className={`chip chip-kind kind-${k}${hidden.has(k) ? ' off' : ''}${counts[k] === 0 ? ' zero' : ''}`} aria-pressed={!hidden.has(k)} onClick={() => toggleKind(k)} data-testid={`chip-${k}`} title={hidden.has(k) ? `Show ${KIND_LABEL[k]} packages` : `Hide ${KIND_LABEL[k]} packages`}>
                  <span className="chip-check" aria-hidden="true">
                    {hidden.has(k) ? '' : '✓'}
                  </span>
                  {KIND_LABEL[k]} <strong data-testid={`count-${k}`}>{counts[k]}</strong>
                </button>
              ))}
              <span className="chip-sep" aria-hidden="true" />
              <button type="button" className={`chip chip-ov${overridesOnly ? ' on' : ''}`} aria-pressed={overridesOnly} onClick={() => setParams({ only: overridesOnly ? undefined : 'overrides' })} data-testid="overrides-only" title="Only packages whose version comes from an override on either side, and the inert overrides">
                <span className="chip-check" aria-hidden="true">
                  {overridesOnly ? '✓' : ''}
                </span>
                Overrides only
              </button>
            </div>
            <div className="filter-field">
              <Icon name="search" className="filter-icon" />
              <input
                ref={filterRef}
                type="search"
                placeholder="Filter by package or source"
                value={text}
                onChange={(e) => setParams({ q: e.target.value || undefined })}
                data-testid="diff-filter"
                spellCheck={false}
                aria-label="Filter by package or source package name"
              />
              <kbd className="filter-kbd" aria-hidden="true">
                /
              </kbd>
            </div>
            <span className="row-count" aria-live="polite">
              <span data-testid="row-count">
                {changeRows.length} {changeRows.length === 1 ? 'package' : 'packages'}
              </span>
              <span className="muted"> · {sources} {sources === 1 ? 'source' : 'sources'}</span>
            </span>
          </div>
          {missingLockfile.map((a) => (
            <div key={a.arch} className="notice-bar is-info slim" data-testid="no-lockfile">
              <Icon name="info" />
              <span>
                {!a.fromHasLockfile && !a.toHasLockfile
                  ? `Neither side has a lockfile for ${a.arch}: its effective lock is empty; its overrides are listed as constraints below.`
                  : `${!a.fromHasLockfile ? columns.fromLabel : columns.toLabel} has no lockfile for ${a.arch}: every package there shows as ${!a.fromHasLockfile ? 'added' : 'removed'}.`}
              </span>
            </div>
          ))}
          <div className={`diff-split${detailsOpen && selected ? ' with-details' : ''}`}>
            <div className="diff-table" role="grid" aria-rowcount={rows.length} aria-busy={loading}>
              <ListHeader columns={columns} />
              {rows.length === 0 ? (
                totalChanges === 0 ? (
                  <EmptyState icon="check" title="No differences" testid="no-differences">
                    {columns.fromLabel} and {columns.toLabel} have the same {current.overrides ? 'effective locks' : 'lockfiles'} on {arches.length === 1 ? arches[0].arch : 'every arch'}.
                  </EmptyState>
                ) : (
                  <EmptyState icon="filter" title="No package matches the filters" testid="no-match">
                    <button type="button" onClick={clearFilters} data-testid="clear-filters">
                      Clear filters
                    </button>
                  </EmptyState>
                )
              ) : (
                <DiffList
                  rows={rows}
                  columns={columns}
                  selectedKey={selectedKey}
                  scrollRequest={scrollRequest}
                  onSelect={(key) => {
                    setSelectedKey(key);
                    setDetailsOpen(true);
                  }}
                />
              )}
              <ArchFooter arches={shown} fromLabel={columns.fromLabel} toLabel={columns.toLabel} overridesOnly={overridesOnly} />
            </div>
            {detailsOpen && selected && (
              <DetailsPanel
                row={selected}
                fromLabel={columns.fromLabel}
                toLabel={columns.toLabel}
                onClose={() => setDetailsOpen(false)}
                onFilterSource={(source) => setParams({ q: source })}
              />
            )}
          </div>
          <p className="kbd-help muted small">
            <kbd>↑</kbd>
            <kbd>↓</kbd> or <kbd>j</kbd>
            <kbd>k</kbd> select · <kbd>Enter</kbd> details · <kbd>/</kbd> filter · <kbd>Esc</kbd> clear
          </p>
        </>
      )}
      {notice && <ExportNoticeView />}
    </section>
  );
}

/** "Copied" confirmation, or the Markdown in a dialog to copy by hand when the clipboard is refused. */
function ExportNoticeView() {
  const notice = useStore((s) => s.exportNotice);
  const dismiss = useStore((s) => s.dismissExportNotice);
  const areaRef = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (notice?.kind === 'copied') {
      const t = setTimeout(dismiss, 3000);
      return () => clearTimeout(t);
    }
    if (notice?.kind === 'fallback') areaRef.current?.select();
    return undefined;
  }, [notice, dismiss]);
  if (!notice) return null;
  if (notice.kind === 'copied') {
    return (
      <div className="toast" role="status" data-testid="copied">
        <Icon name="check" /> Copied the diff as {notice.what}
      </div>
    );
  }
  if (notice.kind === 'error') {
    return (
      <div className="toast is-error" role="alert" data-testid="export-error">
        <Icon name="alert" /> {notice.message}
        <button type="button" className="icon-btn" onClick={dismiss} aria-label="Dismiss">
          <Icon name="close" />
        </button>
      </div>
    );
  }
  return (
    <div className="modal-backdrop" onKeyDown={(e) => e.key === 'Escape' && dismiss()}>
      <div className="modal wide" role="dialog" aria-modal="true" aria-labelledby="md-title" data-testid="markdown-fallback">
        <div className="modal-head">
          <div>
            <h2 id="md-title">Copy the diff as Markdown</h2>
            <p className="muted small">The clipboard was not available: the text is selected, press Ctrl+C (⌘C).</p>
          </div>
        </div>
        <textarea ref={areaRef} readOnly value={notice.text} rows={16} data-testid="markdown-text" className="mono" />
        <div className="modal-actions">
          <button type="button" className="primary" onClick={dismiss} autoFocus>
            Done
          </button>
        </div>
      </div>
    </div>
  );
}
