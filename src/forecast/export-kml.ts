/**
 * A forecast as KML for Google Earth / My Maps: one placemark per region, filled by expected incidents per km²
 * in five classes (breaks in the document's description), flagged regions outlined in black, and every exported
 * column as ExtendedData so a click shows the period, units and centroid.
 */
import { writeFileSync } from 'node:fs';
import type { AreaGeometry, Position, SpatialUnits } from '../space/units.js';
import type { RegionForecast } from './produce.js';
import { regionTable, type RegionTable } from './region-table.js';
import { classBreaks, classLabels, classOf } from '../util/class-breaks.js';

/** White-to-dark-red classes, KML colour order aabbggrr. */
const CLASS_COLORS = ['b3f0f0fe', 'b3a1d9fc', 'b3596afc', 'b3263ae3', 'b31d00a5'];
const RGB = ['#fef0f0', '#fcd9a1', '#fc6a59', '#e33a26', '#a5001d'];

function xml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

function ringKml(ring: Position[]): string {
  return `<LinearRing><coordinates>${ring.map(([x, y]) => `${+x.toFixed(7)},${+y.toFixed(7)}`).join(' ')}</coordinates></LinearRing>`;
}

function geometryKml(g: AreaGeometry): string {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  const one = (rings: Position[][]) => `<Polygon><outerBoundaryIs>${ringKml(rings[0])}</outerBoundaryIs>${rings.slice(1).map((r) => `<innerBoundaryIs>${ringKml(r)}</innerBoundaryIs>`).join('')}</Polygon>`;
  return polys.length === 1 ? one(polys[0]) : `<MultiGeometry>${polys.map(one).join('')}</MultiGeometry>`;
}

export function forecastKml(p: RegionForecast, units: SpatialUnits, table: RegionTable = regionTable(p, units)): string {
  const density = table.columns.expected_per_km2 as number[];
  const { breaks, shares } = classBreaks(density);
  const legend = classLabels(breaks, shares, (v) => v.toPrecision(3)).map((l, i) => `${RGB[i]}: ${l}`).join('; ');
  const desc = `Expected incidents per km² from ${table.periodStart} to ${table.periodEnd} (${p.periodStart.length} ${p.unit} periods), model ${p.model}. ` +
    `Classes (share of regions, highest density first): ${legend}. Black outline: flagged (${(100 * p.coverage).toFixed(1)}% of the area).`;
  const styles = CLASS_COLORS.flatMap((c, i) => [false, true].map((f) =>
    `<Style id="c${i}${f ? 'f' : ''}"><LineStyle><color>${f ? 'ff000000' : '66888888'}</color><width>${f ? 2.5 : 0.5}</width></LineStyle><PolyStyle><color>${c}</color></PolyStyle></Style>`)).join('');
  const cols = Object.keys(table.columns).filter((c) => c !== 'expected');
  const marks: string[] = [];
  for (let r = 0; r < units.n; r++) {
    const data = cols.map((c) => `<Data name="${xml(c)}"><value>${xml(String(table.columns[c][r] ?? ''))}</value></Data>`).join('');
    const style = `c${classOf(density[r], breaks)}${p.flagged[r] ? 'f' : ''}`;
    marks.push(`<Placemark><name>${xml(table.label[r])}</name><description>${xml(`${table.columns.expected_total[r]} expected incidents ${table.periodStart} – ${table.periodEnd}; rank ${p.rank[r]}`)}</description><styleUrl>#${style}</styleUrl><ExtendedData>${data}</ExtendedData>${geometryKml(units.geometry(r))}</Placemark>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>${xml(`CrimeCast forecast ${p.model} ${table.periodStart.slice(0, 10)}`)}</name><description>${xml(desc)}</description>${styles}\n${marks.join('\n')}\n</Document></kml>\n`;
}

export function writeForecastKml(path: string, p: RegionForecast, units: SpatialUnits, table?: RegionTable): void {
  writeFileSync(path, forecastKml(p, units, table));
}
