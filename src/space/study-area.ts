/**
 * The study area of an own-data backtest. Hot-spot coverage and PAI are shares of the units' AREA, so units that
 * cover a bounding box (lake, airport, the county next door) inflate "5% of the city" and PAI. By default a grid
 * keeps only cells holding at least one TRAINING incident (before the test span: choosing cells with test incidents
 * would leak), H3 units likewise; polygons and explicit masks are the user's study area as given.
 */
import type { IncidentTable } from '../data/incident-table.js';
import { buildUnits, parseUnitSpec } from './build-units.js';
import type { SpatialUnits } from './units.js';

/** `fromTraining`: the area was drawn around the training incidents, so later incidents outside it are expected, not a misfit. */
export function studyAreaUnits(spec: string, training: Pick<IncidentTable, 'lat' | 'lon' | 'n'>): { units: SpatialUnits; spec: string; note: string; fromTraining: boolean } {
  const p = parseUnitSpec(spec);
  if (p.kind === 'grid' && p.params.mask === undefined) {
    const masked = `${spec}${spec.includes(':') ? ',' : ':'}mask=incidents`;
    const units = buildUnits(masked, training);
    return { units, spec: masked, fromTraining: true, note: `study area: the ${units.n} cells of ${spec} holding at least one of the ${training.n} incidents before the test span (training data only; --units ${spec},mask=none for the whole bounding box, or mask=FILE.geojson for a boundary)` };
  }
  const units = buildUnits(spec, training);
  const how = p.kind === 'grid' ? (p.params.mask === 'none' ? 'the whole bounding box of the training incidents' : p.params.mask === 'incidents' ? 'cells holding a training incident' : `cells meeting ${p.params.mask}`)
    : p.kind === 'h3' ? (p.params.polygon ? `H3 cells covering ${p.params.polygon}` : 'H3 cells holding a training incident')
    : p.kind === 'polygons' ? 'the polygons as given' : 'the ST-SHN degree grid';
  const fromTraining = (p.kind === 'grid' && p.params.mask === 'incidents') || (p.kind === 'h3' && !p.params.polygon);
  const dissolved = (units as { dissolved?: { id: string; features: number }[] }).dissolved ?? [];
  const merged = dissolved.length ? `; ${dissolved.length} region(s) drawn as several features were dissolved into one (${dissolved.slice(0, 5).map((d) => `${d.id}: ${d.features}`).join(', ')}${dissolved.length > 5 ? ', …' : ''})` : '';
  return { units, spec, fromTraining, note: `study area: ${units.n} units, ${how}${merged}` };
}
