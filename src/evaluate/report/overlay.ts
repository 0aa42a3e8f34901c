/**
 * Boundaries drawn over a report map (neighbourhoods, beats, the city limit) from the user's own GeoJSON, read
 * offline. Each polygon is labelled by its name-like property when it has one.
 */
import { readFeatureCollection } from '../../space/geojson.js';
import type { AreaGeometry } from '../../space/units.js';
import { UserError } from '../../util/errors.js';
import type { ReportOverlay } from './types.js';

const NAME_KEYS = ['name', 'label', 'neighborhood', 'neighbourhood', 'community', 'district', 'beat', 'pri_neigh', 'area_name'];

/** `FILE.geojson` or `FILE.geojson,label=PROP`. Non-polygon features are counted in the overlay's note, not drawn. */
export function readOverlay(arg: string): ReportOverlay {
  const [file, ...opts] = arg.split(',');
  const labelOpt = opts.find((o) => o.startsWith('label='))?.slice(6);
  const bad = opts.find((o) => !o.startsWith('label='));
  if (bad) throw new UserError(`--overlay ${arg}: unknown option "${bad}"`, 'give --overlay FILE.geojson or FILE.geojson,label=PROPERTY');
  const fc = readFeatureCollection(file);
  const geometries: AreaGeometry[] = [], labels: string[] = [];
  let skipped = 0;
  const keys = new Set(fc.features.flatMap((f) => Object.keys(f.properties ?? {})));
  const labelKey = labelOpt ?? NAME_KEYS.map((n) => [...keys].find((k) => k.toLowerCase() === n)).find((k) => k !== undefined);
  if (labelOpt && !keys.has(labelOpt)) throw new UserError(`--overlay ${file}: no property "${labelOpt}"`, `properties: ${[...keys].slice(0, 20).join(', ')}`);
  for (const f of fc.features) {
    const g = f.geometry as { type?: string } | null;
    if (g?.type !== 'Polygon' && g?.type !== 'MultiPolygon') { skipped++; continue; }
    geometries.push(f.geometry as AreaGeometry);
    const v = labelKey ? f.properties?.[labelKey] : undefined;
    labels.push(v === undefined || v === null ? '' : String(v));
  }
  if (geometries.length === 0) throw new UserError(`--overlay ${file}: no Polygon or MultiPolygon features to draw`);
  const name = file.split(/[\\/]/).pop()!;
  return { name, geometries, labels, note: skipped ? `${skipped} of ${fc.features.length} features of ${name} are not polygons and are not drawn` : undefined };
}
