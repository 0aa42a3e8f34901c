/**
 * A choropleth a reader can hand on: Web Mercator (so an optional tile basemap lines up), the study-area outline,
 * a legend with class breaks and the value's units, a scale bar, a title that wraps instead of being cut. With no
 * basemap URL it draws nothing from the network: the report stays one offline file.
 */
import type { ReportMap } from './types.js';
import type { Position } from '../../space/units.js';
import { escapeHtml } from './svg.js';
import { classBreaks, classLabels, classOf } from '../../util/class-breaks.js';

const RAMP = ['#fff5eb', '#fdbe85', '#fd8d3c', '#d94701', '#7f2704'];
const EARTH_M = 6_378_137;
const MAX_TILES = 100;

function rings(geometry: ReportMap['features'][number]['geometry']): Position[][] {
  return geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
}

const mercY = (lat: number) => Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
const mercX = (lon: number) => (lon * Math.PI) / 180;

/** Words → lines of at most `max` characters. */
export function wrapText(s: string, max: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const w of s.split(/\s+/)) {
    if (cur && cur.length + 1 + w.length > max) { lines.push(cur); cur = w; } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(cur);
  return lines;
}

/** Edges drawn by exactly one region: the outline of the union (grids and polygons that share vertices). */
export function outlineEdges(map: ReportMap): [Position, Position][] {
  const key = (a: Position, b: Position) => {
    const k1 = `${a[0].toFixed(9)},${a[1].toFixed(9)}`, k2 = `${b[0].toFixed(9)},${b[1].toFixed(9)}`;
    return k1 < k2 ? `${k1}|${k2}` : `${k2}|${k1}`;
  };
  const seen = new Map<string, { n: number; e: [Position, Position] }>();
  for (const f of map.features) for (const ring of rings(f.geometry)) for (let i = 1; i < ring.length; i++) {
    const k = key(ring[i - 1], ring[i]);
    const s = seen.get(k);
    if (s) s.n++; else seen.set(k, { n: 1, e: [ring[i - 1], ring[i]] });
  }
  return [...seen.values()].filter((s) => s.n === 1).map((s) => s.e);
}

function niceLength(m: number): number {
  const mag = Math.pow(10, Math.floor(Math.log10(m)));
  return [5, 2, 1].map((k) => k * mag).find((v) => v <= m) ?? mag;
}

const fmtBreak = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toPrecision(2));

export function mapSvg(map: ReportMap, width = 700, mapH = 480): string {
  if (map.features.length === 0) return `<p><em>${escapeHtml(map.title)}: no regions</em></p>`;
  const legendW = 230, pad = 8;
  const titleLines = wrapText(map.title, 80);
  const top = 8 + 17 * titleLines.length + 6;
  const mapW = width - legendW - 2 * pad;
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const f of map.features) for (const ring of rings(f.geometry)) for (const [lon, lat] of ring) {
    const x = mercX(lon), y = mercY(lat);
    if (x < minX) minX = x; if (x > maxX) maxX = x; if (y < minY) minY = y; if (y > maxY) maxY = y;
  }
  const scale = Math.min(mapW / (maxX - minX || 1e-9), mapH / (maxY - minY || 1e-9));
  const ox = pad + (mapW - (maxX - minX) * scale) / 2, oy = top + (mapH - (maxY - minY) * scale) / 2;
  const px = (lon: number) => ox + (mercX(lon) - minX) * scale;
  const py = (lat: number) => oy + (maxY - mercY(lat)) * scale;
  const pxm = (x: number) => ox + (x - minX) * scale, pym = (y: number) => oy + (maxY - y) * scale;
  const height = top + mapH + 40;
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(map.title)}" font-family="system-ui,sans-serif">`];
  titleLines.forEach((l, i) => parts.push(`<text x="${pad}" y="${20 + 17 * i}" font-size="14" font-weight="bold">${escapeHtml(l)}</text>`));
  parts.push(`<defs><clipPath id="mapclip"><rect x="${pad}" y="${top}" width="${mapW}" height="${mapH}"/></clipPath></defs>`);
  parts.push(`<rect x="${pad}" y="${top}" width="${mapW}" height="${mapH}" fill="#f4f4f1" stroke="#ccc"/>`);
  let opacity = 1;
  if (map.basemap) {
    // slippy-map tiles: at zoom z the world is 256·2^z px across 2π of Mercator x
    const z = Math.max(0, Math.min(19, Math.round(Math.log2((scale * 2 * Math.PI) / 256))));
    const n = 2 ** z, tile = (scale * 2 * Math.PI) / n;
    const x0 = pxm(-Math.PI) , y0 = pym(Math.PI);
    const tx0 = Math.max(0, Math.floor((pad - x0) / tile)), tx1 = Math.min(n - 1, Math.floor((pad + mapW - x0) / tile));
    const ty0 = Math.max(0, Math.floor((top - y0) / tile)), ty1 = Math.min(n - 1, Math.floor((top + mapH - y0) / tile));
    if ((tx1 - tx0 + 1) * (ty1 - ty0 + 1) <= MAX_TILES) {
      parts.push('<g clip-path="url(#mapclip)">');
      for (let tx = tx0; tx <= tx1; tx++) for (let ty = ty0; ty <= ty1; ty++) {
        const href = map.basemap.replace('{z}', String(z)).replace('{x}', String(tx)).replace('{y}', String(ty)).replace('{s}', 'a');
        parts.push(`<image href="${escapeHtml(href)}" x="${(x0 + tx * tile).toFixed(1)}" y="${(y0 + ty * tile).toFixed(1)}" width="${(tile + 0.5).toFixed(1)}" height="${(tile + 0.5).toFixed(1)}" preserveAspectRatio="none"/>`);
      }
      parts.push('</g>');
      opacity = 0.72;
    }
  }
  const { breaks, shares } = classBreaks(map.features.map((f) => f.value));
  parts.push(`<g fill-opacity="${opacity}">`);
  for (const f of map.features) {
    const fill = f.value > 0 ? RAMP[classOf(f.value, breaks)] : map.basemap ? 'none' : '#ffffff';
    const d = rings(f.geometry).map((ring) => 'M' + ring.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join('L') + 'Z').join('');
    parts.push(`<path d="${d}" fill="${fill}" stroke="#c8c8c8" stroke-width="0.3"><title>${escapeHtml(f.label ?? f.id)}: ${f.value.toPrecision(3)} ${escapeHtml(map.valueUnit ?? map.valueLabel)}${f.flagged ? ' (flagged)' : ''}</title></path>`);
  }
  parts.push('</g>');
  // study-area outline, then the flagged set on top
  const edges = outlineEdges(map);
  parts.push(`<path d="${edges.map(([a, b]) => `M${px(a[0]).toFixed(1)},${py(a[1]).toFixed(1)}L${px(b[0]).toFixed(1)},${py(b[1]).toFixed(1)}`).join('')}" fill="none" stroke="#333" stroke-width="1.3"/>`);
  for (const f of map.features) if (f.flagged) {
    const d = rings(f.geometry).map((ring) => 'M' + ring.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join('L') + 'Z').join('');
    parts.push(`<path d="${d}" fill="none" stroke="#0057b8" stroke-width="1.8"/>`);
  }
  // the user's boundaries (neighbourhoods, beats), labelled at their bounding-box centre when small enough to read
  for (const o of map.overlays ?? []) {
    parts.push(`<g fill="none" stroke="#222" stroke-width="0.9" stroke-dasharray="4 2" clip-path="url(#mapclip)">`);
    o.geometries.forEach((g) => {
      const d = rings(g).map((ring) => 'M' + ring.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join('L') + 'Z').join('');
      parts.push(`<path d="${d}"/>`);
    });
    parts.push('</g><g font-size="9" fill="#111" text-anchor="middle" stroke="#fff" stroke-width="2.2" paint-order="stroke" clip-path="url(#mapclip)">');
    o.geometries.forEach((g, i) => {
      if (!o.labels[i] || o.geometries.length > 120) return;
      let a = Infinity, b = -Infinity, c = Infinity, e = -Infinity;
      for (const ring of rings(g)) for (const [x, y] of ring) { a = Math.min(a, x); b = Math.max(b, x); c = Math.min(c, y); e = Math.max(e, y); }
      parts.push(`<text x="${px((a + b) / 2).toFixed(1)}" y="${py((c + e) / 2).toFixed(1)}">${escapeHtml(o.labels[i])}</text>`);
    });
    parts.push('</g>');
  }
  // scale bar: ground metres per pixel at the map's middle latitude
  const midLat = (2 * Math.atan(Math.exp((minY + maxY) / 2)) - Math.PI / 2);
  const mPerPx = (EARTH_M * Math.cos(midLat)) / scale;
  const len = niceLength((mapW / 4) * mPerPx), barPx = len / mPerPx;
  const sy = top + mapH + 22;
  parts.push(`<g font-size="11"><rect x="${pad}" y="${sy - 6}" width="${barPx.toFixed(1)}" height="5" fill="#333"/><text x="${pad + barPx + 6}" y="${sy}">${len >= 1000 ? `${len / 1000} km` : `${len} m`}</text>`);
  parts.push(`<text x="${pad + mapW}" y="${sy}" text-anchor="end" fill="#666">${map.basemap ? `basemap tiles: ${escapeHtml(new URL(map.basemap.replace(/[{}]/g, '')).host)}` : 'no basemap (offline); Web Mercator'}</text></g>`);
  // legend
  const lx = pad + mapW + 14;
  let ly = top + 4;
  const unitLines = wrapText(map.valueUnit ?? map.valueLabel, 28);
  unitLines.forEach((l) => { parts.push(`<text x="${lx}" y="${ly + 10}" font-size="11" font-weight="bold">${escapeHtml(l)}</text>`); ly += 14; });
  ly += 4;
  const labels = classLabels(breaks, shares, fmtBreak);
  labels.forEach((l, i) => {
    parts.push(`<rect x="${lx}" y="${ly}" width="18" height="13" fill="${RAMP[i]}" stroke="#999" stroke-width="0.5"/><text x="${lx + 24}" y="${ly + 11}" font-size="11">${escapeHtml(l)}</text>`);
    ly += 17;
  });
  parts.push(`<text x="${lx}" y="${ly + 11}" font-size="10" fill="#666">classes: share of regions, highest first</text>`);
  ly += 24;
  parts.push(`<rect x="${lx}" y="${ly}" width="18" height="13" fill="none" stroke="#0057b8" stroke-width="1.8"/><text x="${lx + 24}" y="${ly + 11}" font-size="11">${escapeHtml(map.flaggedLabel ?? 'flagged')}</text>`);
  ly += 19;
  parts.push(`<line x1="${lx}" x2="${lx + 18}" y1="${ly + 7}" y2="${ly + 7}" stroke="#333" stroke-width="1.3"/><text x="${lx + 24}" y="${ly + 11}" font-size="11">study-area outline</text>`);
  for (const o of map.overlays ?? []) {
    ly += 19;
    parts.push(`<line x1="${lx}" x2="${lx + 18}" y1="${ly + 7}" y2="${ly + 7}" stroke="#222" stroke-width="0.9" stroke-dasharray="4 2"/><text x="${lx + 24}" y="${ly + 11}" font-size="11">${escapeHtml(o.name.length > 26 ? o.name.slice(0, 25) + '…' : o.name)}</text>`);
  }
  parts.push('</svg>');
  return parts.join('');
}
