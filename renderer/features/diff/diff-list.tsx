/**
 * The diff's rows, virtualized with @tanstack/react-virtual: only the rows in view are in the
 * DOM, so a 1,200-package diff renders at once and scrolls smoothly.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, type CSSProperties, type RefObject } from 'react';
import { KIND_LABEL, type PackageChange } from '../../../shared/lockfile/diff';
import { KindBadge } from '../../components/common';
import { OverrideBadge, VersionMove, VersionText, commonPrefixLength } from '../../components/version';
import { moveOf, type ChangeRow, type Row } from './rows';

export const ROW_HEIGHT = 30;

const rowStyle = (top: number): CSSProperties => ({ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${top}px)` });

export interface Columns {
  /** The arches shown side by side; one arch: From and To columns instead. */
  arches: string[];
  multi: boolean;
  fromLabel: string;
  toLabel: string;
}

export function gridTemplate(c: Columns): string {
  return c.multi
    ? `minmax(200px, 1fr) repeat(${c.arches.length}, minmax(120px, 1fr)) 118px 90px`
    : 'minmax(220px, 1.3fr) minmax(150px, 1fr) minmax(150px, 1fr) 118px 90px';
}

export function ListHeader({ columns }: { columns: Columns }) {
  return (
    <div className="list-head" role="row" style={{ gridTemplateColumns: gridTemplate(columns) }}>
      <span role="columnheader">Package</span>
      {columns.multi ? (
        columns.arches.map((a) => (
          <span role="columnheader" key={a} className="mono-head">
            {a}
          </span>
        ))
      ) : (
        <>
          <span role="columnheader" className="side-head" title={columns.fromLabel}>
            {columns.fromLabel}
          </span>
          <span role="columnheader" className="side-head" title={columns.toLabel}>
            {columns.toLabel}
          </span>
        </>
      )}
      <span role="columnheader">Change</span>
      <span role="columnheader">Override</span>
    </div>
  );
}

function ChangeCell({ c, muted, arch }: { c: PackageChange | undefined; muted: boolean; arch: string }) {
  if (!c) {
    return (
      <span role="gridcell" className="cell v-cell absent" title={`No change on ${arch}`}>
        —
      </span>
    );
  }
  const m = moveOf(c);
  // Same EVR, new arch: the arches are what moved; the EVR is in the tooltip.
  const shown = c.kind === 'arch_changed' ? { from: c.from!.arch, to: c.to!.arch } : m;
  return (
    <span role="gridcell" className={muted ? 'cell v-cell mono same-as-left' : 'cell v-cell mono'} title={`${arch}: ${m.from || 'absent'} → ${m.to || 'absent'}${muted ? ' (same as the arch on its left)' : ''}`}>
      <VersionMove from={shown.from} to={shown.to} />
    </span>
  );
}

function KindCell({ row }: { row: ChangeRow }) {
  if (row.kinds.length === 1) {
    return (
      <span role="gridcell" className="cell">
        <KindBadge kind={row.kinds[0]} />
      </span>
    );
  }
  const detail = Object.entries(row.perArch)
    .map(([a, c]) => `${a}: ${KIND_LABEL[c.kind]}`)
    .join('\n');
  return (
    <span role="gridcell" className="cell">
      <span className="badge kind kind-mixed" title={detail}>
        <span className="glyph" aria-hidden="true">
          ±
        </span>
        mixed
      </span>
    </span>
  );
}

const ChangeRowView = memo(function ChangeRowView({ row, columns, selected, top, onSelect }: { row: ChangeRow; columns: Columns; selected: boolean; top: number; onSelect: (key: string) => void }) {
  const single = !columns.multi ? row.perArch[columns.arches[0]] : undefined;
  let cells;
  if (columns.multi) {
    if (row.uniform && columns.arches.length > 1) {
      const m = moveOf(row.perArch[columns.arches[0]]);
      cells = (
        <span role="gridcell" className="cell v-cell mono uniform" style={{ gridColumn: `2 / span ${columns.arches.length}` }} title={`Same on every arch: ${m.from || 'absent'} → ${m.to || 'absent'}`}>
          <VersionMove from={m.from} to={m.to} />
          <span className="all-arches-note">all arches</span>
        </span>
      );
    } else {
      let firstKey: string | null = null;
      cells = columns.arches.map((a) => {
        const c = row.perArch[a];
        const key = c ? `${c.kind}\0${moveOf(c).from}\0${moveOf(c).to}` : null;
        const muted = key !== null && firstKey !== null && key === firstKey;
        if (key !== null && firstKey === null) firstKey = key;
        return <ChangeCell key={a} c={c} muted={muted} arch={a} />;
      });
    }
  } else if (single) {
    const m = moveOf(single);
    const keep = m.from && m.to ? commonPrefixLength(m.from, m.to) : 0;
    cells = (
      <>
        <span role="gridcell" className="cell v-cell mono" title={m.from || `not in ${columns.fromLabel}`}>
          {m.from ? <VersionText text={m.from} keep={keep} tone="from" /> : <span className="v-none">—</span>}
        </span>
        <span role="gridcell" className="cell v-cell mono" title={m.to || `not in ${columns.toLabel}`}>
          {m.to ? <VersionText text={m.to} keep={keep} tone="to" /> : <span className="v-none">—</span>}
        </span>
      </>
    );
  }
  return (
    <div
      role="row"
      aria-selected={selected}
      className={`change-row${selected ? ' selected' : ''}${row.grouped ? ' grouped' : ''}${columns.multi ? ' multi' : ''}`}
      style={{ ...rowStyle(top), gridTemplateColumns: gridTemplate(columns) }}
      data-testid="change-row"
      data-name={row.name}
      onClick={() => onSelect(row.key)}
    >
      <span role="gridcell" className="cell name-cell">
        <button type="button" className="pkg-name" tabIndex={-1} data-testid="open-details">
          {row.name}
        </button>
        {!row.grouped && row.source !== row.name && (
          <span className="source-hint" title={`Source package ${row.source}`}>
            {row.source}
          </span>
        )}
      </span>
      {cells}
      <KindCell row={row} />
      <span role="gridcell" className="cell">
        {row.override && <OverrideBadge mark={row.override.mark} side={row.override.side === 'from' ? columns.fromLabel : undefined} />}
      </span>
    </div>
  );
});

export interface DiffListProps {
  rows: Row[];
  columns: Columns;
  selectedKey: string | null;
  /** Bumped to scroll the selection into view (keyboard moves). */
  scrollRequest: number;
  onSelect(key: string): void;
  /** The scrolling list element, for the keyboard handler to focus. */
  listRef?: RefObject<HTMLDivElement | null>;
}

export function DiffList({ rows, columns, selectedKey, scrollRequest, onSelect, listRef }: DiffListProps) {
  const ownRef = useRef<HTMLDivElement>(null);
  const scrollRef = listRef ?? ownRef;
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 16,
    getItemKey: (i) => rows[i].key,
  });

  useEffect(() => {
    if (!selectedKey) return;
    const i = rows.findIndex((r) => r.key === selectedKey && r.type === 'change');
    if (i >= 0) virtualizer.scrollToIndex(i, { align: 'auto' });
    // Only explicit requests scroll: a click must not jump the list.
  }, [scrollRequest]);

  return (
    <div ref={scrollRef} className="list-body" data-testid="diff-rows" role="rowgroup" tabIndex={0} aria-label="Changed packages">
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((v) => {
          const r = rows[v.index];
          if (r.type === 'group') {
            return (
              <div key={v.key} role="row" className="group-row" style={rowStyle(v.start)} data-testid="group-row" data-source={r.source}>
                <span role="gridcell" className="group-name">
                  {r.source}
                </span>
                <span role="gridcell" className="group-count" title={`${r.count} binary packages of ${r.source} changed`}>
                  {r.count}
                </span>
                {r.move && (
                  <span role="gridcell" className="group-move mono" title={`${r.move.from || 'absent'} → ${r.move.to || 'absent'}`}>
                    <VersionMove from={r.move.from} to={r.move.to} />
                  </span>
                )}
              </div>
            );
          }
          return <ChangeRowView key={v.key} row={r} columns={columns} selected={r.key === selectedKey} top={v.start} onSelect={onSelect} />;
        })}
      </div>
    </div>
  );
}
