/**
 * The diff between two refs: per-arch tabs and an all-arches view side by side, changes grouped
 * by source package, filters by text, kind and overrides, a virtualized list, keyboard
 * navigation, a details panel, and export as Markdown or JSON. The URL hash holds the view
 * (`#/diff?from=stable&to=testing-devel&arch=x86_64`), so a reload restores it.
 */
import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { CHANGE_KINDS, type ChangeKind } from '../../../shared/lockfile/diff';
import { ErrorBox } from '../../components/common';
import { EmptyState, Skeleton } from '../../components/empty-state';
import { Icon } from '../../components/icons';
import { routeHash, useStore, type RouteParams } from '../../store';
import { ArchFooter } from './arch-footer';
import { ArchTabs } from './arch-tabs';
import { CompareBar } from './compare-bar';
import { defaultDiffParams } from './default-params';
import { DetailsPanel } from './details-panel';
import { DiffList, ListHeader, type Columns } from './diff-list';
import { diffExport, downloadJson, exportFileName } from './export';
import { ExportNoticeView } from './export-notice';
import { FilterBar } from './filter-bar';
import { LockfileNotices } from './lockfile-notices';
import { OtherFilesPanel, useOtherFiles } from './other-files';
import { KeptPanel, PromotionHead, promotionPair, usePromotion } from './promotion-panel';
import { ALL_ARCHES, kindCounts, matchRows, packageRows, visibleRows, type ChangeRow } from './rows';
import { Sides } from './sides';
import { useDiffKeys } from './use-diff-keys';
import { usePick } from '../../store/use-pick';
import { uiSelectors } from '../../store/selectors/ui';
import { diffSelectors } from '../../store/selectors/diff';
import { repoSelectors } from '../../store/selectors/repo';

export { defaultDiffParams } from './default-params';

export function DiffView() {
  const { params, navigate, replaceParams } = usePick({ params: uiSelectors.params, navigate: uiSelectors.navigate, replaceParams: uiSelectors.replaceParams });
  const { diff, diffQuery, loading, error, notice, dataVersion, streamNames } = usePick({
    diff: diffSelectors.diff,
    diffQuery: diffSelectors.diffQuery,
    loading: diffSelectors.diffLoading,
    error: diffSelectors.diffError,
    notice: diffSelectors.exportNotice,
    dataVersion: repoSelectors.dataVersion,
    streamNames: repoSelectors.streamNames,
  });

  const fallback = defaultDiffParams(streamNames ?? []);
  const from = params.from ?? fallback?.from ?? '';
  const to = params.to ?? fallback?.to ?? '';
  const overrides = params.overrides !== 'off';
  const tab = params.arch ?? ALL_ARCHES;
  const text = params.q ?? '';
  const hidden = useMemo(() => new Set((params.hide ?? '').split(',').filter((k): k is ChangeKind => (CHANGE_KINDS as readonly string[]).includes(k))), [params.hide]);
  const overridesOnly = params.only === 'overrides';
  const pair = useMemo(() => promotionPair(from, to, streamNames), [from, to, streamNames]);
  const showKept = !!pair && params.show === 'kept';
  const showFiles = params.show === 'files' || showKept;

  const [selectedKey, setSelectedKey] = useState<string | null>(null);
  const [detailsOpen, setDetailsOpen] = useState(false);
  const [scrollRequest, setScrollRequest] = useState(0);
  const filterRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLDivElement>(null);

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

  // A promotion's other files are the promoted tree's (its per-stream files as the target keeps them).
  const other = useOtherFiles(pair ? '' : from, pair ? '' : to);
  const promotion = usePromotion(pair);
  const carried = pair ? { result: promotion.view?.carried ?? null, error: promotion.error ?? promotion.view?.error ?? null } : other;
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

  useDiffKeys(
    { changeRows, selectedKey, detailsOpen, text },
    {
      select: setSelectedKey,
      reveal: () => setScrollRequest((x) => x + 1),
      setDetailsOpen,
      clearText: () => setParams({ q: undefined }),
    },
    { filter: filterRef, list: listRef },
  );

  const exportJson = () => {
    if (!current) return;
    downloadJson(exportFileName(current, tab === ALL_ARCHES ? null : tab), diffExport(current, shown.map((a) => a.arch)));
  };

  const totalChanges = arches.reduce((n, a) => n + a.changes.length, 0);
  const allPackages = useMemo(() => (tab === ALL_ARCHES ? all.length : packageRows(arches).length), [tab, all, arches]);

  return (
    <section className="page diff-page" data-testid="diff-view">
      <h1 className="sr-only">{pair ? `Promotion ${pair.source} → ${pair.target}` : from && to ? `Diff ${from} → ${to}` : 'Diff'}</h1>
      <div className="diff-top">
        <CompareBar from={from} to={to} overrides={overrides} onCompare={go} />
        <div className="export-actions">
          <button type="button" onClick={() => void useStore.getState().copyMarkdown(tab === ALL_ARCHES ? undefined : [tab])} disabled={!current} data-testid="copy-md" title="Copy the diff as a Markdown table, for a PR body or release notes">
            <Icon name="copy" /> {pair ? 'Copy release notes' : 'Copy as Markdown'}
          </button>
          <button type="button" onClick={exportJson} disabled={!current} data-testid="export-json" title="Download the diff as JSON">
            <Icon name="download" /> Export JSON
          </button>
        </div>
      </div>
      {current && <Sides />}
      {pair && <PromotionHead pair={pair} promotion={promotion} />}
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
          <ArchTabs
            arches={arches}
            tab={showFiles ? null : tab}
            allPackages={allPackages}
            loading={loading}
            onTab={(arch) => setParams({ arch, show: undefined })}
            otherFiles={carried.result ? carried.result.files.length + carried.result.more : null}
            onOtherFiles={() => setParams({ show: 'files' })}
            kept={pair ? { count: promotion.view ? promotion.view.kept.filter((k) => k.applies).length : null, selected: showKept, onSelect: () => setParams({ show: 'kept' }) } : undefined}
          />
          {showKept ? (
            <div className="diff-split files-view">
              <KeptPanel promotion={promotion} />
            </div>
          ) : showFiles ? (
            <div className="diff-split files-view">
              <OtherFilesPanel
                from={columns.fromLabel}
                to={columns.toLabel}
                result={carried.result}
                error={carried.error}
                caption={pair && carried.result ? `Carried by the promotion: ${carried.result.files.length + carried.result.more} other ${carried.result.files.length + carried.result.more === 1 ? 'file differs' : 'files differ'} between ${pair.target} and the promoted tree` : undefined}
              />
            </div>
          ) : (
          <>
          <FilterBar
            counts={counts}
            hidden={hidden}
            overridesOnly={overridesOnly}
            text={text}
            packages={changeRows.length}
            sources={sources}
            filterRef={filterRef}
            onToggleKind={toggleKind}
            onOverridesOnly={(on) => setParams({ only: on ? 'overrides' : undefined })}
            onText={(q) => setParams({ q: q || undefined })}
          />
          <LockfileNotices arches={shown} fromLabel={columns.fromLabel} toLabel={columns.toLabel} />
          <div className={`diff-split${detailsOpen && selected ? ' with-details' : ''}`}>
            <div className="diff-table">
              {/* The footer is a disclosure, not a row: it sits beside the grid, not in it. */}
              <div className="diff-grid" role="grid" aria-rowcount={rows.length} aria-busy={loading}>
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
                  listRef={listRef}
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
              </div>
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
        </>
      )}
      {notice && <ExportNoticeView />}
    </section>
  );
}
