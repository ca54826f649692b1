/**
 * The timeline's points as links, for the keyboard and screen readers: ECharts draws its points
 * as SVG paths that take no focus, so a click on a point (this commit against its parent) has
 * its keyboard twin here. Focusing a link shows that point's tooltip on the chart.
 */
import { useState } from 'react';
import { routeHash } from '../store';
import type { LaneSteps } from '../../shared/history/view';

const day = (t: number) => new Date(t).toISOString().slice(0, 10);

export function ChartPoints({ lanes, onFocusPoint, onLeave }: { lanes: readonly LaneSteps[]; onFocusPoint: (lane: number, point: number) => void; onLeave: () => void }) {
  const total = lanes.reduce((n, l) => n + l.points.length, 0);
  // Drawn once opened: thousands of links (one per point, 3,000 a lane at 10x) cost the history
  // view's first draw, closed and unseen.
  const [open, setOpen] = useState(false);
  return (
    <details className="chart-points" data-testid="chart-points" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary title={`The chart's ${total} point${total === 1 ? '' : 's'}, one link each: its commit against its parent`}>Points as links</summary>
      {open && (
        <div className="chart-points-lanes">
          {lanes.map((l, i) => (
            <section key={l.stream} aria-label={`Changes of ${l.stream}`}>
              <h3 className="small">{l.stream}</h3>
              <ul>
                {/* Newest first, as the table below reads; the index stays the chart's own (oldest first). */}
                {l.points
                  .map((p, k) => ({ p, k }))
                  .reverse()
                  .map(({ p, k }) => (
                    <li key={p.commit}>
                      <a
                        href={routeHash('diff', { from: `${p.commit}^`, to: p.commit })}
                        title={p.subject}
                        onFocus={() => onFocusPoint(i, k)}
                        onBlur={onLeave}
                        data-testid="chart-point"
                        data-stream={l.stream}
                        data-commit={p.commit}
                      >
                        {day(p.t)} <span className="mono">{p.evr ?? 'absent'}</span>
                        {p.override ? ` (${p.override})` : ''}
                      </a>
                    </li>
                  ))}
              </ul>
            </section>
          ))}
        </div>
      )}
    </details>
  );
}
