/**
 * The diff between two refs: per-arch tabs and an all-arches view, changes grouped by source
 * package, filters by text, kind and overrides, a virtualized list (1,200 rows render at once),
 * keyboard navigation, and export as Markdown or JSON.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import { CHANGE_KINDS, diffToJson, type ArchDiff, type ChangeKind, type PackageChange } from '../../shared/lockfile/diff';
import type { EffectiveEntry } from '../../shared/lockfile/types';
import { call } from '../api';
import { ErrorBox, KindBadge, kindLabel, Sha, shortDate } from '../components/common';
import { useStore } from '../store';

type Row =
  | { type: 'group'; source: string; count: number }
  | { type: 'change'; name: string; source: string; kind: ChangeKind | 'mixed'; perArch: Record<string, PackageChange | undefined> };

const ALL = 'all';

function version(e: EffectiveEntry | undefined, showArch: boolean): string {
  if (!e) return '—';
  return showArch ? `${e.evr}.${e.arch}` : e.evr;
}

function OverrideMark({ c }: { c: PackageChange | undefined }) {
  const o = c?.to?.override ?? c?.from?.override;
  if (!o) return null;
  const side = c?.to?.override ? '' : ' (before)';
  return (
    <span className={`badge ov-${o.type ?? 'other'}`} title={`${o.file}${side}`}>
      {o.type ?? 'override'}
      {side}
    </span>
  );
}

export function DiffView() {
  const route = useStore((s) => s.route);
  const diff = useStore((s) => s.diff);
  const loading = useStore((s) => s.diffLoading);
  const error = useStore((s) => s.diffError);
  const refs = useStore((s) => s.refs);
  const navigate = useStore((s) => s.navigate);
  const p = route.params;
  const from = p.from ?? 'stable';
  const to = p.to ?? 'testing-devel';
  const overrides = p.overrides !== 'off';
  const tab = p.arch ?? ALL;
  const [fromInput, setFromInput] = useState(from);
  const [toInput, setToInput] = useState(to);
  const [text, setText] = useState('');
  const [hidden, setHidden] = useState<Set<ChangeKind>>(new Set());
  const [overridesOnly, setOverridesOnly] = useState(false);
  const [selected, setSelected] = useState(0);
  const [details, setDetails] = useState<Row | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const filterRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    setFromInput(from);
    setToInput(to);
    void useStore.getState().loadDiff(from, to, overrides);
  }, [from, to, overrides]);

  const go = (params: Record<string, string | undefined>) => navigate('diff', { from, to, arch: tab === ALL ? undefined : tab, overrides: overrides ? undefined : 'off', ...params });

  const arches = diff?.arches ?? [];
  const visibleArches = tab === ALL ? arches : arches.filter((a) => a.arch === tab);

  const rows = useMemo<Row[]>(() => {
    const byName = new Map<string, { source: string; perArch: Record<string, PackageChange | undefined> }>();
    for (const d of visibleArches) {
      for (const c of d.changes) {
        const r = byName.get(c.name) ?? { source: c.source, perArch: {} };
        r.perArch[d.arch] = c;
        byName.set(c.name, r);
      }
    }
    const q = text.trim().toLowerCase();
    const groups = new Map<string, Row[]>();
    for (const [name, r] of [...byName].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const changes = Object.values(r.perArch).filter(Boolean) as PackageChange[];
      const kinds = new Set(changes.map((c) => c.kind));
      const kind = kinds.size === 1 ? [...kinds][0] : 'mixed';
      if (changes.every((c) => hidden.has(c.kind))) continue;
      if (q && !name.toLowerCase().includes(q) && !r.source.toLowerCase().includes(q)) continue;
      if (overridesOnly && !changes.some((c) => c.to?.override || c.from?.override)) continue;
      const list = groups.get(r.source) ?? [];
      list.push({ type: 'change', name, source: r.source, kind, perArch: r.perArch });
      groups.set(r.source, list);
    }
    const out: Row[] = [];
    for (const [source, list] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (list.length > 1 || (list[0].type === 'change' && list[0].name !== source)) out.push({ type: 'group', source, count: list.length });
      out.push(...list);
    }
    return out;
  }, [visibleArches, text, hidden, overridesOnly]);

  const counts = useMemo(() => {
    const c: Record<ChangeKind, number> = { added: 0, removed: 0, upgraded: 0, downgraded: 0, arch_changed: 0 };
    for (const d of visibleArches) for (const k of CHANGE_KINDS) c[k] += d.counts[k];
    return c;
  }, [visibleArches]);

  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => listRef.current, estimateSize: () => 30, overscan: 12 });

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const inInput = (e.target as HTMLElement).tagName === 'INPUT';
      if (e.key === '/' && !inInput) {
        e.preventDefault();
        filterRef.current?.focus();
        return;
      }
      if (e.key === 'Escape') {
        if (details) setDetails(null);
        else {
          setText('');
          filterRef.current?.blur();
        }
        return;
      }
      if (inInput) return;
      if (e.key === 'ArrowDown' || e.key === 'j') {
        e.preventDefault();
        setSelected((s) => {
          const n = Math.min(rows.length - 1, s + 1);
          virtualizer.scrollToIndex(n, { align: 'auto' });
          return n;
        });
      } else if (e.key === 'ArrowUp' || e.key === 'k') {
        e.preventDefault();
        setSelected((s) => {
          const n = Math.max(0, s - 1);
          virtualizer.scrollToIndex(n, { align: 'auto' });
          return n;
        });
      } else if (e.key === 'Enter' && rows[selected]) {
        setDetails(rows[selected]);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [rows, selected, details, virtualizer]);

  const copyMarkdown = async () => {
    const md = await call('diff:markdown', { from, to, overrides, arches: tab === ALL ? undefined : [tab] });
    try {
      await navigator.clipboard.writeText(md);
      setCopied('Markdown copied to the clipboard');
    } catch {
      setCopied(md);
    }
  };
  const exportJson = () => {
    if (!diff) return;
    const blob = new Blob([JSON.stringify({ from: diff.from, to: diff.to, overrides: diff.overrides, diff: diffToJson(visibleArches) }, null, 2)], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `lockstep-diff-${from}-${to}.json`.replace(/[^A-Za-z0-9._-]/g, '_');
    a.click();
    URL.revokeObjectURL(a.href);
  };

  const multi = tab === ALL && visibleArches.length > 1;
  const archCols = multi ? visibleArches.map((a) => a.arch) : [visibleArches[0]?.arch ?? ''];

  return (
    <section className="diff">
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          navigate('diff', { from: fromInput.trim(), to: toInput.trim(), arch: tab === ALL ? undefined : tab, overrides: overrides ? undefined : 'off' });
        }}
      >
        <datalist id="refs">
          {refs.map((r) => (
            <option key={`${r.kind}:${r.name}`} value={r.name}>
              {r.kind}
            </option>
          ))}
        </datalist>
        <label className="inline">
          From
          <input list="refs" value={fromInput} onChange={(e) => setFromInput(e.target.value)} data-testid="diff-from" spellCheck={false} />
        </label>
        <button type="button" title="Swap" onClick={() => go({ from: to, to: from })} data-testid="swap">
          ⇄
        </button>
        <label className="inline">
          To
          <input list="refs" value={toInput} onChange={(e) => setToInput(e.target.value)} data-testid="diff-to" spellCheck={false} />
        </label>
        <button type="submit" className="primary" data-testid="compare">
          Compare
        </button>
        <label className="inline check">
          <input type="checkbox" checked={overrides} onChange={(e) => go({ overrides: e.target.checked ? undefined : 'off' })} data-testid="toggle-overrides" />
          Overrides applied
        </label>
        <span className="spacer" />
        <button type="button" onClick={() => void copyMarkdown()} disabled={!diff} data-testid="copy-md">
          Copy as Markdown
        </button>
        <button type="button" onClick={exportJson} disabled={!diff} data-testid="export-json">
          Export JSON
        </button>
      </form>
      {copied && (
        <div className="notice" data-testid="copied">
          {copied.startsWith('Markdown copied') ? copied : <textarea readOnly value={copied} rows={8} />}
          <button type="button" className="link" onClick={() => setCopied(null)}>
            Close
          </button>
        </div>
      )}
      <ErrorBox message={error} testid="diff-error" />
      {diff && (
        <>
          <div className="sides muted small" data-testid="diff-sides">
            <span>
              <strong>{diff.from.input}</strong> <Sha oid={diff.from.commit} /> {shortDate(diff.from.date)}
            </span>
            <span>→</span>
            <span>
              <strong>{diff.to.input}</strong> <Sha oid={diff.to.commit} /> {shortDate(diff.to.date)}
            </span>
          </div>
          <nav className="tabs sub" aria-label="Arches">
            <a href="#" onClick={(e) => (e.preventDefault(), go({ arch: undefined }))} className={tab === ALL ? 'tab active' : 'tab'} data-testid="arch-tab-all">
              All arches
            </a>
            {arches.map((a) => (
              <a key={a.arch} href="#" onClick={(e) => (e.preventDefault(), go({ arch: a.arch }))} className={tab === a.arch ? 'tab active' : 'tab'} data-testid={`arch-tab-${a.arch}`}>
                {a.arch} <span className="count">{a.changes.length}</span>
              </a>
            ))}
          </nav>
          <div className="filters">
            {CHANGE_KINDS.map((k) => (
              <button
                type="button"
                key={k}
                className={`chip kind-${k} ${hidden.has(k) ? 'off' : ''}`}
                aria-pressed={!hidden.has(k)}
                onClick={() => setHidden((h) => {
                  const n = new Set(h);
                  if (n.has(k)) n.delete(k);
                  else n.add(k);
                  return n;
                })}
                data-testid={`chip-${k}`}
              >
                {kindLabel(k)} <strong data-testid={`count-${k}`}>{counts[k]}</strong>
              </button>
            ))}
            <label className="inline check">
              <input type="checkbox" checked={overridesOnly} onChange={(e) => setOverridesOnly(e.target.checked)} data-testid="overrides-only" />
              Overrides only
            </label>
            <input ref={filterRef} className="filter" placeholder="Filter by package or source  ( / )" value={text} onChange={(e) => setText(e.target.value)} data-testid="diff-filter" spellCheck={false} />
            <span className="muted small" data-testid="row-count">
              {rows.filter((r) => r.type === 'change').length} packages
            </span>
          </div>
          <div className="diff-body">
            <div className="table-head" role="row">
              <span className="c-name">Package</span>
              {archCols.map((a) => (
                <span key={a} className="c-ver">
                  {multi ? a : `${diff.from.input} → ${diff.to.input}`}
                </span>
              ))}
              <span className="c-kind">Change</span>
            </div>
            <div ref={listRef} className="rows" data-testid="diff-rows" tabIndex={0}>
              {rows.length === 0 && !loading && <div className="empty">{visibleArches.every((a) => a.changes.length === 0) ? 'No differences.' : 'Nothing matches the filters.'}</div>}
              <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
                {virtualizer.getVirtualItems().map((v) => {
                  const r = rows[v.index];
                  const style = { position: 'absolute' as const, top: 0, left: 0, right: 0, height: v.size, transform: `translateY(${v.start}px)` };
                  if (r.type === 'group') {
                    return (
                      <div key={v.key} style={style} className={`group-row ${v.index === selected ? 'selected' : ''}`} data-testid="group-row">
                        <strong>{r.source}</strong> <span className="muted">{r.count} packages</span>
                      </div>
                    );
                  }
                  return (
                    <div
                      key={v.key}
                      style={style}
                      className={`change-row ${v.index === selected ? 'selected' : ''}`}
                      data-testid="change-row"
                      data-name={r.name}
                      onClick={() => setSelected(v.index)}
                      onDoubleClick={() => setDetails(r)}
                    >
                      <span className="c-name">
                        <button type="button" className="link" onClick={() => setDetails(r)}>
                          {r.name}
                        </button>
                      </span>
                      {archCols.map((a) => {
                        const c = r.perArch[a];
                        const showArch = c?.kind === 'arch_changed';
                        return (
                          <span key={a} className="c-ver mono">
                            {c ? (
                              <>
                                {version(c.from, showArch)} <span className="arrow">→</span> {version(c.to, showArch)} <OverrideMark c={c} />
                              </>
                            ) : (
                              <span className="muted">unchanged</span>
                            )}
                          </span>
                        );
                      })}
                      <span className="c-kind">{r.kind === 'mixed' ? <span className="badge">mixed</span> : <KindBadge kind={r.kind} />}</span>
                    </div>
                  );
                })}
              </div>
            </div>
            <Inert arches={visibleArches} toLabel={diff.to.input} />
          </div>
        </>
      )}
      {loading && <div className="loading">Comparing…</div>}
      {details && details.type === 'change' && (
        <aside className="details" data-testid="details">
          <div className="row between">
            <h2>{details.name}</h2>
            <button type="button" className="link" onClick={() => setDetails(null)}>
              Close
            </button>
          </div>
          <p className="muted">Source package {details.source}</p>
          {Object.entries(details.perArch).map(([arch, c]) =>
            c ? (
              <div key={arch} className="detail-arch">
                <h3>{arch}</h3>
                <dl>
                  <dt>{diff?.from.input}</dt>
                  <dd className="mono">{c.from ? `${c.from.evr}.${c.from.arch}` : 'absent'}{c.from?.override ? ` (${c.from.override.type ?? 'override'} in ${c.from.override.file})` : ''}</dd>
                  <dt>{diff?.to.input}</dt>
                  <dd className="mono">{c.to ? `${c.to.evr}.${c.to.arch}` : 'absent'}{c.to?.override ? ` (${c.to.override.type ?? 'override'} in ${c.to.override.file})` : ''}</dd>
                </dl>
              </div>
            ) : null,
          )}
          <div className="row">
            <button type="button" onClick={() => navigate('history', { name: details.name })} data-testid="open-history">
              History
            </button>
            <button type="button" onClick={() => navigate('history', { name: details.source })}>
              Source history
            </button>
            <button type="button" className="primary" onClick={() => navigate('draft', { name: details.source, stream: from })} data-testid="draft-pin">
              Draft a pin…
            </button>
          </div>
        </aside>
      )}
    </section>
  );
}

function Inert({ arches, toLabel }: { arches: ArchDiff[]; toLabel: string }) {
  const items = arches.filter((a) => a.inertTo.length > 0);
  if (!items.length) return null;
  return (
    <div className="inert muted small" data-testid="inert">
      {items.map((a) => (
        <div key={a.arch}>
          Inert on {a.arch} in {toLabel} (not in its lockfile): {a.inertTo.map((o) => o.name).join(', ')}
        </div>
      ))}
    </div>
  );
}
