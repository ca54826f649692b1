/**
 * The version timeline: one lane per charted stream, drawn as SVG with one path for a lane's
 * steps and one for its points (thousands of changes stay a handful of elements), the current
 * version written in full at the lane's end, and dates on a sticky axis above the lanes.
 */
import { memo, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { HistoryResult } from '../../shared/api/types';
import { dateTicks, laneSteps, type LaneSteps } from '../../shared/history/view';
import type { DeepReadonly } from '../../shared/readonly';

export interface PointRef {
  stream: string;
  commit: string;
}

const LANE = 28;
const AXIS = 22;
const NAME_W = 118;
const CHAR_W = 6.7; // 11px monospace
const PALETTE = ['#0969da', '#1a7f37', '#bf3989', '#9a6700', '#8250df', '#cf222e', '#1b7c83', '#6e7781'];

interface Hover {
  lane: number;
  point: LaneSteps['points'][number];
  x: number;
  y: number;
  /** Where the tip goes, relative to the chart box (the lanes may be scrolled). */
  tipTop: number;
}

function TimelineChart({ history, binary, streams, onPick }: { history: DeepReadonly<HistoryResult>; binary: string; streams: readonly string[]; onPick: (p: PointRef) => void }) {
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [hover, setHover] = useState<Hover | null>(null);
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const lanes = useMemo(
    () => streams.map((s) => history.lanes.find((l) => l.stream === s)).filter((l) => !!l).map((l) => laneSteps(l, binary)),
    [history, binary, streams],
  );
  const labelW = Math.ceil(Math.max(8, ...lanes.map((l) => (l.current ?? 'absent').length)) * CHAR_W) + 20;
  const all = lanes.flatMap((l) => (l.points.length ? [l.points[0].t, l.points[l.points.length - 1].t] : []));
  const t0 = all.length ? Math.min(...all) : 0;
  // Lanes run to the newest change of any stream, not to today: old data stays readable.
  const t1 = all.length ? Math.max(...all) + 86_400_000 : 1;
  const left = NAME_W;
  const right = Math.max(left + 80, width - labelW);
  const x = (t: number) => left + ((t - t0) / (t1 - t0 || 1)) * (right - left);
  const ticks = useMemo(() => dateTicks(t0, t1, Math.max(2, Math.floor((right - left) / 90))), [t0, t1, right, left]);
  const height = lanes.length * LANE;

  const paths = useMemo(
    () =>
      lanes.map((l, i) => {
        const y = i * LANE + LANE / 2;
        let line = '';
        let dots = '';
        let prevY = 0;
        for (const [k, p] of l.points.entries()) {
          const px = x(p.t).toFixed(1);
          // An absent package sits low in its lane: the line drops instead of vanishing.
          const py = p.evr === null ? y + 8 : y;
          line += k === 0 ? `M${px} ${py}` : `H${px}V${py}`;
          dots += `M${px} ${py}h0`;
          prevY = py;
        }
        if (l.points.length) line += `H${right}V${prevY}`;
        return { line, dots };
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [lanes, t0, t1, left, right],
  );

  const locate = (e: React.MouseEvent<SVGSVGElement>): Hover | null => {
    const r = e.currentTarget.getBoundingClientRect();
    const mx = e.clientX - r.left;
    const my = e.clientY - r.top;
    const lane = Math.floor(my / LANE);
    const pts = lanes[lane]?.points;
    if (!pts?.length || mx < left - 6 || mx > right + 6) return null;
    const t = t0 + ((mx - left) / (right - left)) * (t1 - t0);
    // Binary search for the nearest change by time.
    let lo = 0;
    let hi = pts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pts[mid].t < t) lo = mid + 1;
      else hi = mid;
    }
    const best = lo > 0 && Math.abs(pts[lo - 1].t - t) < Math.abs(pts[lo].t - t) ? lo - 1 : lo;
    const px = x(pts[best].t);
    if (Math.abs(px - mx) > 14) return null;
    const boxTop = box.current?.getBoundingClientRect().top ?? r.top;
    return { lane, point: pts[best], x: px, y: lane * LANE + LANE / 2, tipTop: r.top - boxTop + lane * LANE + LANE };
  };

  return (
    <div className="timeline" data-testid="timeline-chart" ref={box}>
      <svg className="timeline-axis" width={width} height={AXIS} aria-hidden="true">
        {width > 0 &&
          ticks.map((tk) => (
            <text key={tk.t} x={x(tk.t)} y={AXIS - 7} textAnchor="middle">
              {tk.label}
            </text>
          ))}
      </svg>
      <div className="timeline-lanes" style={{ maxHeight: 7 * LANE + 4 }}>
        {width > 0 && (
          <svg
            width={width}
            height={height}
            role="img"
            aria-label={`Versions of ${binary} over time on ${lanes.map((l) => `${l.stream} (now ${l.current ?? 'absent'})`).join(', ')}`}
            onMouseMove={(e) => setHover(locate(e))}
            onMouseLeave={() => setHover(null)}
            onClick={(e) => {
              const h = locate(e);
              if (h) onPick({ stream: lanes[h.lane].stream, commit: h.point.commit });
            }}
            style={{ cursor: hover ? 'pointer' : 'default' }}
          >
            {ticks.map((tk) => (
              <line key={tk.t} className="grid-line" x1={x(tk.t)} x2={x(tk.t)} y1={0} y2={height} />
            ))}
            {lanes.map((l, i) => {
              const color = PALETTE[i % PALETTE.length];
              const y = i * LANE + LANE / 2;
              return (
                <g key={l.stream} data-testid="timeline-lane" data-stream={l.stream}>
                  <line className="lane-rule" x1={left} x2={right} y1={y} y2={y} />
                  <text className="lane-name" x={8} y={y + 4}>
                    {l.stream}
                  </text>
                  <path d={paths[i].line} fill="none" stroke={color} strokeWidth={2.5} />
                  <path d={paths[i].dots} fill="none" stroke={color} strokeWidth={7} strokeLinecap="round" />
                  <text className="lane-label" x={right + 8} y={y + 4} data-testid="lane-label">
                    {l.current ?? 'absent'}
                  </text>
                </g>
              );
            })}
            {hover && <circle cx={hover.x} cy={hover.point.evr === null ? hover.y + 8 : hover.y} r={6} className="hover-dot" />}
          </svg>
        )}
      </div>
      {hover && (
        <div className="timeline-tip" style={{ left: Math.min(hover.x + 12, Math.max(0, width - 320)), top: hover.tipTop + 4 }} role="tooltip">
          <b>{lanes[hover.lane].stream}</b>: <span className="mono">{hover.point.evr ?? 'absent'}</span>
          {hover.point.override && ` (${hover.point.override})`}
          <br />
          {new Date(hover.point.t).toISOString().slice(0, 10)} · <span className="mono">{hover.point.commit.slice(0, 12)}</span>
          <br />
          {hover.point.subject}
        </div>
      )}
    </div>
  );
}

export default memo(TimelineChart);
