/**
 * The version timeline, drawn by ECharts: one lane per charted stream, a step line through its
 * changes with the version written at each change (labels that would overlap are dropped, so
 * zooming in shows more of them), the current version at the lane's end, and ECharts' own
 * zoom: a slider under the axis, ctrl+wheel and drag inside, and the toolbox's box-zoom brush.
 * (Which changes have room for their label is decided here, as ECharts' own hideOverlap stops
 * hiding labels after a resize.)
 * The zoom range is reported up (the URL keeps it) and applied when it changes from outside
 * (back/forward). Loaded lazily with the history view: the app starts without ECharts.
 */
import { memo, useEffect, useMemo, useRef } from 'react';
import * as echarts from 'echarts/core';
import { LineChart } from 'echarts/charts';
import { AriaComponent, DataZoomComponent, GridComponent, ToolboxComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { HistoryResult } from '../../shared/api/types';
import { labelledChanges, laneSteps, type LaneSteps } from '../../shared/history/view';
import type { DeepReadonly } from '../../shared/readonly';
import { ChartPoints } from './chart-points';
import { useDark } from '../components/use-dark';

echarts.use([LineChart, GridComponent, DataZoomComponent, ToolboxComponent, TooltipComponent, AriaComponent, SVGRenderer]);

export interface PointRef {
  stream: string;
  commit: string;
}

/** A zoom window in epoch milliseconds; null ends are the data's own. */
export interface ZoomRange {
  from: number | null;
  to: number | null;
}

const LANE = 28;
const TOP = 18;
const BOTTOM = 46;
const NAME_W = 118;
const CHAR_W = 6.7; // 11px monospace
const SMALL_CHAR_W = 6.1; // 10px monospace, the change labels
const DAY = 86_400_000;
const PALETTE_LIGHT = ['#0969da', '#1a7f37', '#bf3989', '#9a6700', '#8250df', '#cf222e', '#1b7c83', '#6e7781'];
const PALETTE_DARK = ['#4493f8', '#3fb950', '#db61a2', '#d29922', '#ab7df8', '#f85149', '#39c5cf', '#9198a1'];

interface Point {
  value: [number, number];
  evr: string | null;
  commit: string;
  subject: string;
  override?: string;
  /** The line's extension to the right edge: no dot, no label, not clickable. */
  tail?: true;
  label: { show: boolean };
}

interface DataZoomState {
  start?: number;
  end?: number;
  startValue?: number;
  endValue?: number;
}

/** The window shown, as days on the chart's box: what a reader (and a test) can check against the URL. */
function showWindow(el: HTMLElement, w: { from: number; to: number }) {
  el.dataset.from = day(w.from);
  el.dataset.to = day(w.to);
}

const cssVar = (name: string, fallback: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
const day = (t: number) => new Date(t).toISOString().slice(0, 10);

function TimelineChart({
  history,
  binary,
  streams,
  zoom,
  onPick,
  onZoom,
}: {
  history: DeepReadonly<HistoryResult>;
  binary: string;
  streams: readonly string[];
  zoom: ZoomRange;
  onPick: (p: PointRef) => void;
  onZoom: (z: ZoomRange) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const callbacks = useRef({ onPick, onZoom });
  callbacks.current = { onPick, onZoom };
  const dark = useDark();
  /** What is drawn, for relabelling when the window or the size changes. */
  const drawn = useRef<{ lanes: LaneSteps[]; t0: number; t1: number; labelW: number; data: (lane: number, labels: Set<number>) => Point[] } | null>(null);
  /** The time window shown (epoch ms). */
  const shown = useRef<{ from: number; to: number } | null>(null);
  const relabel = useRef(() => {});
  relabel.current = () => {
    const c = chart.current;
    const d = drawn.current;
    if (!c || !d || !box.current) return;
    const win = shown.current ?? { from: d.t0, to: d.t1 };
    const plot = Math.max(1, box.current.clientWidth - NAME_W - d.labelW);
    const x = (t: number) => ((t - win.from) / (win.to - win.from || 1)) * plot;
    c.setOption({ series: d.lanes.map((l, i) => ({ id: l.stream, data: d.data(i, labelledChanges(l.points, win.from, win.to, x, SMALL_CHAR_W)) })) }, { lazyUpdate: false });
  };

  const lanes = useMemo(
    () => streams.map((s) => history.lanes.find((l) => l.stream === s)).filter((l) => !!l).map((l) => laneSteps(l, binary)),
    [history, binary, streams],
  );
  const all = lanes.flatMap((l) => (l.points.length ? [l.points[0].t, l.points[l.points.length - 1].t] : []));
  const t0 = all.length ? Math.min(...all) : 0;
  // Lanes run to the newest change of any stream, not to today: old data stays readable.
  const t1 = all.length ? Math.max(...all) + DAY : 1;
  const height = TOP + lanes.length * LANE + BOTTOM;

  useEffect(() => {
    const el = box.current!;
    const c = echarts.init(el, undefined, { renderer: 'svg' });
    chart.current = c;
    c.on('click', (p) => {
      const d = p.data as Point | undefined;
      if (d && !d.tail && typeof p.seriesName === 'string') callbacks.current.onPick({ stream: p.seriesName, commit: d.commit });
    });
    c.on('datazoom', () => {
      const dz = (c.getOption().dataZoom as DataZoomState[] | undefined)?.[0];
      if (!dz || dz.startValue === undefined || dz.endValue === undefined) return;
      shown.current = { from: dz.startValue, to: dz.endValue };
      showWindow(el, shown.current);
      relabel.current();
      // The whole range is no zoom at all: the URL then says nothing.
      const whole = (dz.start ?? 0) <= 0 && (dz.end ?? 100) >= 100;
      callbacks.current.onZoom(whole ? { from: null, to: null } : { from: dz.startValue, to: dz.endValue });
    });
    const ro = new ResizeObserver(() => {
      c.resize();
      relabel.current();
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    const fg = cssVar('--fg', dark ? '#e6edf3' : '#1f2328');
    const strong = cssVar('--fg-strong', dark ? '#ffffff' : '#0d1117');
    const muted = cssVar('--muted', dark ? '#9198a1' : '#59636e');
    const soft = cssVar('--border-soft', dark ? '#21272e' : '#e8ecf0');
    const border = cssVar('--border', dark ? '#3d444d' : '#d1d9e0');
    const bg = cssVar('--bg', dark ? '#0d1117' : '#ffffff');
    const palette = dark ? PALETTE_DARK : PALETTE_LIGHT;
    const n = lanes.length;
    const labelW = Math.ceil(Math.max(8, ...lanes.map((l) => (l.current ?? 'absent').length)) * CHAR_W) + 24;
    // The top lane is the first stream; an absent package sits low in its lane: the line drops instead of vanishing.
    const y = (lane: number, evr: string | null) => n - 1 - lane - (evr === null ? 0.28 : 0);
    const data = (i: number, labels: Set<number>): Point[] => {
      const l = lanes[i];
      const out: Point[] = l.points.map((p, k) => ({ value: [p.t, y(i, p.evr)], evr: p.evr, commit: p.commit, subject: p.subject, override: p.override, label: { show: labels.has(k) } }));
      const last = l.points[l.points.length - 1];
      if (last) out.push({ value: [t1, y(i, last.evr)], evr: last.evr, commit: last.commit, subject: last.subject, tail: true, label: { show: false } });
      return out;
    };
    const series = lanes.map((l, i) => {
      return {
        type: 'line' as const,
        id: l.stream,
        name: l.stream,
        step: 'end' as const,
        data: data(i, new Set()),
        color: palette[i % palette.length],
        lineStyle: { width: 2.5 },
        symbol: 'circle',
        symbolSize: (_: unknown, p: { data: Point }) => (p.data.tail ? 0 : 7),
        showAllSymbol: true,
        animation: false,
        label: {
          show: true,
          position: 'top' as const,
          distance: 4,
          fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace',
          fontSize: 10,
          color: fg,
          formatter: (p: { data: Point }) => (p.data.tail ? '' : p.data.evr ?? 'absent'),
        },
        endLabel: { show: true, formatter: () => l.current ?? 'absent', fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', fontSize: 11, fontWeight: 'bold' as const, color: strong, distance: 8 },
        emphasis: { focus: 'series' as const, scale: 1.6 },
      };
    });
    c.setOption(
      {
        backgroundColor: bg,
        animation: false,
        aria: { enabled: true, label: { description: `Versions of ${binary} over time on ${lanes.map((l) => `${l.stream} (now ${l.current ?? 'absent'})`).join(', ')}` } },
        grid: { left: NAME_W, right: labelW, top: TOP, bottom: BOTTOM },
        xAxis: {
          type: 'time',
          min: t0,
          max: t1,
          axisLabel: { color: muted, hideOverlap: true },
          axisLine: { lineStyle: { color: border } },
          splitLine: { show: true, lineStyle: { color: soft } },
        },
        yAxis: {
          type: 'value',
          min: -0.5,
          max: n - 0.5,
          interval: 1,
          axisLabel: { color: fg, fontSize: 12, customValues: lanes.map((_, i) => i), formatter: (v: number) => lanes[n - 1 - v]?.stream ?? '' },
          axisLine: { show: false },
          axisTick: { show: false },
          splitLine: { show: true, lineStyle: { color: soft, type: 'dashed' } },
        },
        tooltip: {
          trigger: 'item',
          confine: true,
          backgroundColor: bg,
          borderColor: border,
          textStyle: { color: fg, fontSize: 12 },
          formatter: (p: { seriesName?: string; data: Point }) => {
            const d = p.data;
            const e = echarts.format.encodeHTML;
            return `<b>${e(p.seriesName ?? '')}</b>: <span style="font-family:monospace">${e(d.evr ?? 'absent')}</span>${d.override ? ` (${e(d.override)})` : ''}<br>${d.tail ? 'current' : day(d.value[0])} · <span style="font-family:monospace">${d.commit.slice(0, 12)}</span><br>${e(d.subject)}${d.tail ? '' : '<br><i>Click: this commit against its parent</i>'}`;
          },
        },
        toolbox: {
          // Bottom left, beside the slider: the lane names fill the left column above it, the first
          // lane's labels the top edge, and the current versions the right edge.
          left: 6,
          bottom: 6,
          itemSize: 13,
          iconStyle: { borderColor: muted },
          feature: { dataZoom: { yAxisIndex: 'none', title: { zoom: 'Zoom to a box', back: 'Undo zoom' } }, restore: { title: 'Whole history' } },
        },
        dataZoom: [
          {
            type: 'slider',
            xAxisIndex: 0,
            filterMode: 'none',
            height: 18,
            bottom: 6,
            left: NAME_W,
            right: labelW,
            labelFormatter: (v: number) => day(v),
            textStyle: { color: muted },
            borderColor: border,
            ...(zoom.from !== null ? { startValue: zoom.from } : { start: 0 }),
            ...(zoom.to !== null ? { endValue: zoom.to } : { end: 100 }),
          },
          { type: 'inside', xAxisIndex: 0, filterMode: 'none', zoomOnMouseWheel: 'ctrl', moveOnMouseWheel: false, moveOnMouseMove: true },
        ],
        series,
      },
      { notMerge: true },
    );
    drawn.current = { lanes, t0, t1, labelW, data };
    const dz = (c.getOption().dataZoom as DataZoomState[] | undefined)?.[0];
    shown.current = dz?.startValue !== undefined && dz.endValue !== undefined ? { from: dz.startValue, to: dz.endValue } : { from: t0, to: t1 };
    showWindow(box.current!, shown.current);
    relabel.current();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lanes, t0, t1, binary, dark, height]);

  // A zoom that changes from outside (back/forward, a preset button) is applied to the chart.
  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    const from = Math.max(t0, zoom.from ?? t0);
    const to = Math.min(t1, zoom.to ?? t1);
    const now = shown.current;
    // The URL keeps whole days: a window the chart itself reported (mid-drag) is not snapped back.
    if (now && day(now.from) === day(from) && day(now.to) === day(to)) return;
    // Silent: a window asked for from outside is not reported back (a preset wider than the data stays as asked).
    c.dispatchAction({ type: 'dataZoom', dataZoomIndex: 0, startValue: from, endValue: to }, { silent: true });
    shown.current = { from, to };
    showWindow(box.current!, shown.current);
    relabel.current();
  }, [zoom.from, zoom.to, t0, t1]);

  return (
    <>
      <div
        className="timeline"
        data-testid="timeline-chart"
        data-streams={lanes.map((l) => l.stream).join(' ')}
        data-current={lanes.map((l) => `${l.stream}=${l.current ?? 'absent'}`).join(' ')}
        ref={box}
        style={{ height }}
      />
      <ChartPoints
        lanes={lanes}
        onFocusPoint={(seriesIndex, dataIndex) => chart.current?.dispatchAction({ type: 'showTip', seriesIndex, dataIndex })}
        onLeave={() => chart.current?.dispatchAction({ type: 'hideTip' })}
      />
    </>
  );
}

export default memo(TimelineChart);
