/**
 * A hand-drawn SVG of a trend analysis: observed counts with the trend, the seasonal component and the
 * remainder in stacked panels, change points as dashed lines and segment means as steps. No plotting library.
 */
import type { TrendAnalysis } from './analyze.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function trendSvg(a: TrendAnalysis, labels: string[], title: string): string {
  const W = 960, panelH = 170, top = 40, gap = 30, left = 60, right = 20;
  const plotW = W - left - right, n = a.n;
  const x = (i: number) => left + (n > 1 ? (i / (n - 1)) * plotW : 0);
  const panels: { name: string; series: { data: ArrayLike<number>; color: string; width: number }[] }[] = [
    { name: 'observed, trend and segment means', series: [{ data: a.observed, color: '#9aa5b1', width: 0.8 }, { data: a.trend, color: '#1f4e79', width: 2 }, { data: segmentSteps(a), color: '#c0392b', width: 1.5 }] },
    { name: `seasonal (${a.periods.join(' + ') || 'none'})`, series: [{ data: a.seasonal, color: '#27794f', width: 1 }] },
    { name: 'remainder', series: [{ data: a.remainder, color: '#6c5b7b', width: 0.8 }] },
  ];
  const H = top + panels.length * (panelH + gap) + 20;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${left}" y="22" font-size="15" font-weight="bold">${esc(title)}</text>`,
  ];
  panels.forEach((p, k) => {
    const y0 = top + k * (panelH + gap);
    let lo = Infinity, hi = -Infinity;
    for (const s of p.series) for (let i = 0; i < n; i++) { const v = s.data[i]; if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); } }
    if (!(hi > lo)) { lo -= 1; hi += 1; }
    const y = (v: number) => y0 + panelH - ((v - lo) / (hi - lo)) * panelH;
    out.push(`<rect x="${left}" y="${y0}" width="${plotW}" height="${panelH}" fill="none" stroke="#ccc"/>`);
    out.push(`<text x="${left + 4}" y="${y0 + 12}" fill="#333">${esc(p.name)}</text>`);
    for (const v of [lo, (lo + hi) / 2, hi]) out.push(`<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end" fill="#555">${fmt(v)}</text>`);
    for (const s of p.series) {
      const pts: string[] = [];
      for (let i = 0; i < n; i++) pts.push(`${x(i).toFixed(1)},${y(s.data[i]).toFixed(1)}`);
      out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="${s.width}" points="${pts.join(' ')}"/>`);
    }
    for (const c of a.changePoints) out.push(`<line x1="${x(c.index).toFixed(1)}" x2="${x(c.index).toFixed(1)}" y1="${y0}" y2="${y0 + panelH}" stroke="#c0392b" stroke-dasharray="4,3"/>`);
  });
  // date ticks under the last panel
  const yAxis = top + panels.length * (panelH + gap) - gap + 14;
  const ticks = Math.min(8, n);
  for (let k = 0; k < ticks; k++) {
    const i = Math.round((k / Math.max(1, ticks - 1)) * (n - 1));
    out.push(`<text x="${x(i).toFixed(1)}" y="${yAxis}" text-anchor="middle" fill="#555">${esc(labels[i] ?? String(i))}</text>`);
  }
  out.push('</svg>');
  return out.join('\n');
}

function segmentSteps(a: TrendAnalysis): Float64Array {
  const out = new Float64Array(a.n);
  for (const s of a.segments) for (let i = s.start; i < s.end; i++) out[i] = s.mean;
  // the Poisson cost works on raw counts, the Gaussian on the adjusted level: both are level estimates
  return out;
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
}
