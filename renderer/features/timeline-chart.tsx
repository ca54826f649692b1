/** The version timeline: one lane per stream, a point per version change (echarts). */
import { LineChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import type { HistoryResult } from '../../shared/api/types';

echarts.use([LineChart, GridComponent, TooltipComponent, DataZoomComponent, CanvasRenderer]);

export interface PointRef {
  stream: string;
  commit: string;
}

export default function TimelineChart({ history, binary, onPick }: { history: HistoryResult; binary: string; onPick: (p: PointRef) => void }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const dark = window.matchMedia?.('(prefers-color-scheme: dark)').matches;
    const chart = echarts.init(el.current, dark ? 'dark' : undefined, { renderer: 'canvas' });
    const lanes = history.lanes.map((l) => l.stream);
    // Lanes run to the newest change of any stream, not to today: old data stays readable.
    const now = Math.max(...history.lanes.flatMap((l) => l.entries.map((e) => new Date(e.date).getTime())), 0) + 86400000;
    const series = history.lanes.map((lane, i) => {
      const entries = lane.entries.filter((e) => e.name === binary).slice().reverse();
      const data = entries.map((e) => ({
        value: [new Date(e.date).getTime(), i],
        evr: e.evr ?? 'absent',
        commit: e.commit,
        subject: e.subject,
        stream: lane.stream,
        override: e.override?.type,
      }));
      // Extend each lane to today so the current version reads as a bar.
      if (data.length) data.push({ ...data[data.length - 1], value: [now, i], commit: '' });
      return {
        name: lane.stream,
        type: 'line' as const,
        step: 'end' as const,
        data,
        symbolSize: (_v: unknown, p: { data: { commit: string } }) => (p.data.commit ? 9 : 0),
        // Only the current version is labelled; the others show on hover.
        label: {
          show: true,
          position: 'top' as const,
          fontSize: 11,
          formatter: (p: { dataIndex: number; data: { evr: string; commit: string } }) => (p.dataIndex === data.length - 2 ? p.data.evr : ''),
        },
        emphasis: { label: { show: true, formatter: (p: { data: { evr: string } }) => p.data.evr } },
        lineStyle: { width: 3 },
      };
    });
    chart.setOption({
      backgroundColor: 'transparent',
      animation: false,
      grid: { left: 110, right: 30, top: 20, bottom: 60 },
      tooltip: {
        trigger: 'item',
        formatter: (p: { data: { evr: string; commit: string; subject: string; stream: string; override?: string; value: [number, number] } }) =>
          p.data.commit
            ? `<b>${p.data.stream}</b>: ${p.data.evr}${p.data.override ? ` (${p.data.override})` : ''}<br/>${new Date(p.data.value[0]).toISOString().slice(0, 10)} · ${p.data.commit.slice(0, 12)}<br/>${escapeHtml(p.data.subject)}`
            : '',
      },
      xAxis: { type: 'time', axisLabel: { hideOverlap: true } },
      yAxis: { type: 'category', data: lanes, inverse: true },
      dataZoom: [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 16 }],
      series,
    });
    chart.on('click', (p) => {
      const d = p.data as { commit: string; stream: string } | undefined;
      if (d?.commit) onPick({ stream: d.stream, commit: d.commit });
    });
    const onResize = () => chart.resize();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      chart.dispose();
    };
  }, [history, binary, onPick]);
  return <div ref={el} className="chart" data-testid="timeline-chart" style={{ height: Math.max(200, history.lanes.length * 56 + 90) }} />;
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
