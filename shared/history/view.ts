/**
 * What the history view draws, computed once per answer (its rows, one per commit with a
 * source package's binaries folded in, come decoded from shared/history/answer.ts): the lanes
 * charted by default (the release streams), each lane's steps for the chart, and date ticks.
 */
import type { HistoryResult, HistoryRow } from '../api/types';

export type { HistoryRow };
import { compareStreamNames, isReleaseStream } from '../streams';
import type { DeepReadonly } from '../../shared/readonly';

/** The lanes that have rows, release streams first (promotion order), others in natural order. */
export function orderedLanes(history: DeepReadonly<HistoryResult>): DeepReadonly<HistoryResult['lanes']> {
  return history.lanes.filter((l) => l.rows.length > 0).sort((a, b) => compareStreamNames(a.stream, b.stream));
}

/** Streams charted before the user picks: the release streams, or every lane when none is one. */
export function defaultCharted(lanes: readonly { stream: string }[]): string[] {
  const release = lanes.filter((l) => isReleaseStream(l.stream)).map((l) => l.stream);
  return release.length ? release : lanes.map((l) => l.stream);
}

/** A lane's version steps for one binary, oldest first. */
export interface LaneSteps {
  stream: string;
  points: { t: number; evr: string | null; commit: string; subject: string; override?: string }[];
  /** The lane's current version (its newest point), for the label at the lane's end. */
  current: string | null;
}

export function laneSteps(lane: DeepReadonly<HistoryResult['lanes'][number]>, binary: string): LaneSteps {
  const points: LaneSteps['points'] = [];
  for (let i = lane.rows.length - 1; i >= 0; i--) {
    const r = lane.rows[i];
    const c = r.changes.length === 1 ? (r.changes[0].name === binary ? r.changes[0] : undefined) : r.changes.find((x) => x.name === binary);
    if (!c) continue;
    points.push({ t: Date.parse(r.date), evr: c.evr, commit: r.commit, subject: r.subject, override: c.override?.type });
  }
  return { stream: lane.stream, points, current: points.length ? points[points.length - 1].evr : null };
}

const DAY = 86_400_000;

/** Date ticks over [from, to] at a step that leaves about `max` of them, aligned to calendar units. */
export function dateTicks(from: number, to: number, max: number): { t: number; label: string }[] {
  const span = Math.max(to - from, DAY);
  const steps: [number, 'day' | 'month' | 'year', number][] = [
    [DAY, 'day', 1],
    [7 * DAY, 'day', 7],
    [30 * DAY, 'month', 1],
    [91 * DAY, 'month', 3],
    [182 * DAY, 'month', 6],
    [365 * DAY, 'year', 1],
    [730 * DAY, 'year', 2],
    [1826 * DAY, 'year', 5],
  ];
  const [, unit, n] = steps.find(([ms]) => span / ms <= Math.max(1, max)) ?? steps[steps.length - 1];
  const start = new Date(from);
  let d: Date;
  if (unit === 'day') d = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate() + 1));
  else if (unit === 'month') d = new Date(Date.UTC(start.getUTCFullYear(), Math.ceil((start.getUTCMonth() + 1) / n) * n, 1));
  else d = new Date(Date.UTC(Math.ceil((start.getUTCFullYear() + 1) / n) * n, 0, 1));
  const out: { t: number; label: string }[] = [];
  while (d.getTime() <= to && out.length < 200) {
    const iso = d.toISOString();
    out.push({ t: d.getTime(), label: unit === 'day' ? iso.slice(0, 10) : unit === 'month' ? iso.slice(0, 7) : iso.slice(0, 4) });
    if (unit === 'day') d = new Date(d.getTime() + n * DAY);
    else if (unit === 'month') d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1));
    else d = new Date(Date.UTC(d.getUTCFullYear() + n, 0, 1));
  }
  return out;
}

/**
 * The order the view asks for a package's lanes, one stream per call: `first` (the lane shown,
 * by default the first stream in list order) so its rows come as soon as its index is built,
 * then the others in list order, each drawn as its index lands.
 */
export function askOrder(streams: readonly string[], first?: string | null): string[] {
  const sorted = [...streams].sort(compareStreamNames);
  const head = first && sorted.includes(first) ? first : sorted[0];
  return head === undefined ? [] : [head, ...sorted.filter((s) => s !== head)];
}

/**
 * Which changes get their version written on the chart: those inside the shown window, left to
 * right, each at least its own label's width (plus a gap) after the last one written, so labels
 * never overlap and zooming in writes more of them. `x` maps a time to pixels; indexes returned.
 */
export function labelledChanges(points: readonly { t: number; evr: string | null }[], from: number, to: number, x: (t: number) => number, charWidth: number, gap = 8): Set<number> {
  const out = new Set<number>();
  let free = -Infinity;
  for (const [i, p] of points.entries()) {
    if (p.t < from || p.t > to) continue;
    const w = (p.evr ?? 'absent').length * charWidth;
    const left = x(p.t) - w / 2;
    if (left < free) continue;
    out.add(i);
    free = left + w + gap;
  }
  return out;
}
