/**
 * Minimal inline-SVG charts for the static HTML report. A report must open offline from a single file,
 * so charts are drawn as SVG strings here rather than through a browser charting library (the dashboard uses one).
 */
import type { ReportChart, ReportMap } from './types.js';
import type { Position } from '../../space/units.js';

export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function niceTicks(min: number, max: number, n = 5): number[] {
  if (!(max > min)) return [min];
  const step0 = (max - min) / n;
  const mag = Math.pow(10, Math.floor(Math.log10(step0)));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= step0) ?? step0;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + 1e-12; v += step) out.push(+v.toPrecision(12));
  return out;
}

/** Legend entries laid out in rows below the plot (long model specs wrap instead of being cut at the edge). */
function legendLayout(names: string[], left: number, maxW: number): { x: number; row: number }[] {
  let x = 0, row = 0;
  return names.map((n) => {
    const w = 34 + 6.4 * n.length;
    if (x > 0 && x + w > maxW) { x = 0; row++; }
    const at = { x: left + x, row };
    x += w;
    return at;
  });
}

export function lineChartSvg(chart: ReportChart, width = 640, plotHeight = 360): string {
  const lay = legendLayout(chart.series.map((s) => s.name), 56, width - 56 - 16);
  const legendRows = lay.length ? lay[lay.length - 1].row + 1 : 0;
  const height = plotHeight + legendRows * 16 + 6;
  const m = { l: 56, r: 16, t: 28, b: 44 + legendRows * 16 + 6 };
  const w = width - m.l - m.r, h = height - m.t - m.b;
  const xs = chart.series.flatMap((s) => s.x).filter((v) => Number.isFinite(v) && (!chart.logX || v > 0));
  const ys = chart.series.flatMap((s) => s.y).filter(Number.isFinite);
  if (xs.length === 0) return `<p><em>${escapeHtml(chart.title)}: no data</em></p>`;
  const tx = chart.logX ? Math.log10 : (v: number) => v;
  const x0 = tx(Math.min(...xs)), x1 = tx(Math.max(...xs));
  const y0 = Math.min(0, ...ys), y1 = Math.max(...ys) || 1;
  const sx = (v: number) => m.l + ((tx(v) - x0) / (x1 - x0 || 1)) * w;
  const sy = (v: number) => m.t + h - ((v - y0) / (y1 - y0 || 1)) * h;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(chart.title)}">`);
  parts.push(`<text x="${m.l}" y="18" font-size="13" font-weight="bold">${escapeHtml(chart.title)}</text>`);
  const xt = chart.logX
    ? [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1].filter((v) => tx(v) >= x0 - 1e-9 && tx(v) <= x1 + 1e-9)
    : niceTicks(Math.min(...xs), Math.max(...xs));
  for (const v of xt) {
    parts.push(`<line x1="${sx(v)}" x2="${sx(v)}" y1="${m.t}" y2="${m.t + h}" stroke="#eee"/>`);
    parts.push(`<text x="${sx(v)}" y="${m.t + h + 16}" font-size="10" text-anchor="middle">${v}</text>`);
  }
  for (const v of niceTicks(y0, y1)) {
    parts.push(`<line x1="${m.l}" x2="${m.l + w}" y1="${sy(v)}" y2="${sy(v)}" stroke="#eee"/>`);
    parts.push(`<text x="${m.l - 6}" y="${sy(v) + 3}" font-size="10" text-anchor="end">${v}</text>`);
  }
  parts.push(`<rect x="${m.l}" y="${m.t}" width="${w}" height="${h}" fill="none" stroke="#999"/>`);
  parts.push(`<text x="${m.l + w / 2}" y="${m.t + h + 32}" font-size="11" text-anchor="middle">${escapeHtml(chart.xLabel)}</text>`);
  parts.push(`<text transform="translate(14 ${m.t + h / 2}) rotate(-90)" font-size="11" text-anchor="middle">${escapeHtml(chart.yLabel)}</text>`);
  chart.series.forEach((s, k) => {
    const color = PALETTE[k % PALETTE.length];
    const pts = s.x
      .map((x, i) => [x, s.y[i]] as const)
      .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!chart.logX || x > 0))
      .map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`);
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="1.8" points="${pts.join(' ')}"/>`);
    const ly = m.t + h + 50 + lay[k].row * 16, lx = lay[k].x;
    parts.push(`<line x1="${lx}" x2="${lx + 18}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"/>`);
    parts.push(`<text x="${lx + 22}" y="${ly + 4}" font-size="11">${escapeHtml(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

function rings(geometry: ReportMap['features'][number]['geometry']): Position[][] {
  return geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
}

/** Choropleth in an equirectangular projection scaled by cos(latitude) — adequate at city scale. */
export function choroplethSvg(map: ReportMap, width = 520, height = 520): string {
  if (map.features.length === 0) return `<p><em>${escapeHtml(map.title)}: no regions</em></p>`;
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const f of map.features) for (const ring of rings(f.geometry)) for (const [x, y] of ring) {
    if (x < minX) minX = x; if (x > maxX) maxX = x; if (y < minY) minY = y; if (y > maxY) maxY = y;
  }
  const kx = Math.cos(((minY + maxY) / 2) * (Math.PI / 180));
  const pad = 10, top = 26;
  const scale = Math.min((width - 2 * pad) / ((maxX - minX) * kx || 1), (height - top - pad) / (maxY - minY || 1));
  const px = (x: number) => pad + (x - minX) * kx * scale;
  const py = (y: number) => top + (maxY - y) * scale;
  const vmax = Math.max(...map.features.map((f) => f.value).filter(Number.isFinite), 1e-12);
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(map.title)}">`,
    `<text x="${pad}" y="18" font-size="13" font-weight="bold">${escapeHtml(map.title)}</text>`];
  for (const f of map.features) {
    const t = Math.max(0, Math.min(1, f.value / vmax));
    // white → dark red sequential ramp
    const fill = `rgb(${Math.round(255 - 90 * t)},${Math.round(255 - 230 * t)},${Math.round(255 - 230 * t)})`;
    const d = rings(f.geometry).map((ring) => 'M' + ring.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join('L') + 'Z').join('');
    parts.push(`<path d="${d}" fill="${fill}" stroke="${f.flagged ? '#000' : '#bbb'}" stroke-width="${f.flagged ? 1.6 : 0.4}"><title>${escapeHtml(f.id)}: ${escapeHtml(map.valueLabel)} ${f.value.toPrecision(3)}${f.flagged ? ' (flagged)' : ''}</title></path>`);
  }
  parts.push('</svg>');
  return parts.join('');
}
