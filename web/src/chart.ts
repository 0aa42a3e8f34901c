/** Line charts with uPlot. */
import uPlot from 'uplot';

export interface LineSeries { label: string; y: (number | null)[]; dash?: boolean }
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];

export function lineChart(el: HTMLElement, o: { x: number[]; series: LineSeries[]; logX?: boolean; time?: boolean; xLabel: string; yLabel: string; height?: number }): uPlot {
  el.replaceChildren();
  const width = Math.max(320, el.clientWidth || 640);
  const opts: uPlot.Options = {
    width, height: o.height ?? 300,
    scales: { x: o.logX ? { time: false, distr: 3 } : { time: !!o.time } },
    axes: [{ label: o.xLabel }, { label: o.yLabel }],
    series: [{}, ...o.series.map((s, i) => ({ label: s.label, stroke: COLORS[i % COLORS.length], width: 2, dash: s.dash ? [6, 4] : undefined, spanGaps: false }))],
  };
  return new uPlot(opts, [o.x, ...o.series.map((s) => s.y)] as uPlot.AlignedData, el);
}
