/**
 * The audit's group populations are keyed by the backtest's region ids, which only CrimeCast knows: a template CSV
 * with every id and its centroid (to join in a GIS or spreadsheet), and the parser of the filled-in table. Columns
 * that locate the region are not groups; an empty cell is 0 people; anything else that is not a number is an error
 * naming its line and column.
 */
export interface Group { name: string; weights: Record<string, number> }

/** Columns the template adds to locate a region; never read as population groups. */
export const LOCATION_COLUMNS = ['centroid_lat', 'centroid_lon'];

type Ring = number[][];
interface UnitFeature { id?: string | number; properties: Record<string, unknown>; geometry: { type: string; coordinates: unknown } | null }

/** Area-weighted centroid of a polygon's outer ring (the largest one for a multipolygon), [lon, lat]. */
export function ringCentroid(ring: Ring): [number, number] {
  let a = 0, cx = 0, cy = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const f = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
    a += f; cx += (ring[j][0] + ring[i][0]) * f; cy += (ring[j][1] + ring[i][1]) * f;
  }
  if (a === 0) { const n = ring.length || 1; return [ring.reduce((s, p) => s + p[0], 0) / n, ring.reduce((s, p) => s + p[1], 0) / n]; }
  return [cx / (3 * a), cy / (3 * a)];
}

function outerRing(g: UnitFeature['geometry']): Ring | null {
  if (!g) return null;
  if (g.type === 'Polygon') return (g.coordinates as Ring[])[0];
  if (g.type === 'MultiPolygon') {
    const rings = (g.coordinates as Ring[][]).map((p) => p[0]);
    const size = (r: Ring) => Math.abs(r.reduce((s, p, i) => { const q = r[(i + 1) % r.length]; return s + p[0] * q[1] - q[0] * p[1]; }, 0));
    return rings.sort((x, y) => size(y) - size(x))[0] ?? null;
  }
  return null;
}

const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function regionTemplateCsv(features: UnitFeature[], groups = ['GroupA', 'GroupB']): string {
  const lines = [['region', ...LOCATION_COLUMNS, ...groups].join(',')];
  for (const f of features) {
    const ring = outerRing(f.geometry);
    const [lon, lat] = ring ? ringCentroid(ring) : [NaN, NaN];
    lines.push([csvCell(String(f.properties.id ?? f.id)), Number.isFinite(lat) ? lat.toFixed(6) : '', Number.isFinite(lon) ? lon.toFixed(6) : '', ...groups.map(() => '')].join(','));
  }
  return lines.join('\n') + '\n';
}

/** Groups from "region,[centroid_lat,centroid_lon,]Group1,Group2,…"; throws naming the line and column of a bad value. */
export function parseGroupsCsv(text: string): Group[] {
  const [head, ...rows] = text.trim().split(/\r?\n/).map((l) => l.split(',').map((s) => s.trim()));
  if (!head || head.length < 2) throw new Error('paste a CSV: a header "region,Group1,Group2,…" then one line per area');
  const cols = head.map((name, k) => ({ name, k })).filter(({ name, k }) => k > 0 && !LOCATION_COLUMNS.includes(name));
  if (!cols.length) throw new Error(`no group column in the header "${head.join(',')}"`);
  return cols.map(({ name, k }) => ({
    name,
    weights: Object.fromEntries(rows.map((r, i) => {
      const v = r[k] ?? '';
      const n = v === '' ? 0 : Number(v);
      if (!Number.isFinite(n) || n < 0) throw new Error(`line ${i + 2}, column "${name}": "${v}" is not a population (a number ≥ 0; leave empty for 0)`);
      return [r[0], n];
    })),
  }));
}
