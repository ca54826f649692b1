/** Versions as release engineers read them: monospace, with the part that moved emphasized. */
import type { ReactElement } from 'react';
import type { EffectiveEntry, OverrideMark } from '../../shared/lockfile/types';

const SEPARATORS = new Set(['.', '-', ':', '~', '^', '+', '_']);

/**
 * Where two versions start to differ, backed up to the start of that segment, so
 * `6.10.12-200.fc40 → 6.11.4-201.fc40` emphasizes `11.4-201.fc40`, not `1.4-201.fc40`.
 */
export function commonPrefixLength(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (i === a.length && i === b.length) return i;
  while (i > 0 && !SEPARATORS.has(a[i - 1])) i--;
  return i;
}

/** One version, the tail after `keep` characters emphasized (as changed). */
export function VersionText({ text, keep, tone }: { text: string; keep: number; tone?: 'from' | 'to' }): ReactElement {
  if (keep >= text.length) return <span className="v">{text}</span>;
  return (
    <span className="v">
      {/* In a narrow cell the shared prefix gives way first (ellipsized at its start, see styles.css); bdi keeps its characters in order. */}
      {keep > 0 && (
        <span className="v-same">
          <bdi dir="ltr">{text.slice(0, keep)}</bdi>
        </span>
      )}
      <span className={tone === 'from' ? 'v-changed v-from' : 'v-changed v-to'}>{text.slice(keep)}</span>
    </span>
  );
}

/** How an entry's version reads in a diff cell: the EVR, plus the arch where the arch is what changed. */
export const entryText = (e: EffectiveEntry | undefined, withArch: boolean): string => (e ? (withArch ? `${e.evr}.${e.arch}` : e.evr) : '');

/** `from → to` on one line; a missing side is an em dash. */
export function VersionMove({ from, to }: { from: string; to: string }): ReactElement {
  const keep = from && to ? commonPrefixLength(from, to) : 0;
  return (
    <span className="vmove">
      {from ? <VersionText text={from} keep={keep} tone="from" /> : <span className="v-none">—</span>}
      <span className="arrow" aria-label="to">
        {' → '}
      </span>
      {to ? <VersionText text={to} keep={keep} tone="to" /> : <span className="v-none">—</span>}
    </span>
  );
}

/** An override's badge (`pin`, `fast-track`, or a typeless override), with its file on hover. */
export function OverrideBadge({ mark, side }: { mark: OverrideMark; side?: string }): ReactElement {
  const type = mark.type ?? 'override';
  const cls = mark.type === 'pin' ? 'ov-pin' : mark.type === 'fast-track' ? 'ov-fast-track' : 'ov-other';
  return (
    <span className={`badge ov ${cls}${side ? ' ov-was' : ''}`} title={`${side ? `${side}: ` : ''}${type} in ${mark.file}`} data-testid="override-badge">
      {side ? `was ${type}` : type}
    </span>
  );
}

/** A commit date (`%cI`) as `2024-10-23 14:02`, the full timestamp on hover. */
export function CommitDate({ iso }: { iso: string }): ReactElement {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return (
    <time dateTime={iso} title={iso} className="date">
      {/* Day and time each kept whole: a narrow column breaks between them, never inside the day. */}
      {m ? (
        <>
          <span className="nowrap">{m[1]}</span> <span className="nowrap">{m[2]}</span>
        </>
      ) : (
        iso
      )}
    </time>
  );
}
