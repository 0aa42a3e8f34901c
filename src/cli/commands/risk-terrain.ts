/**
 * `crimecast risk-terrain`: the map of the risk-terrain layers — for each region of a unit set, the distance from its
 * centroid to the nearest point of each layer and the number of points within the radius — as GeoJSON (one feature
 * per region) and CSV (with centroids), the same values `--risk-layers` gives the feature learners.
 */
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { parseBBox } from '../../space/bbox.js';
import { buildUnits, parseUnitSpec } from '../../space/build-units.js';
import { writeUnitsGeoJSON } from '../../space/geojson.js';
import type { SpatialUnits } from '../../space/units.js';
import type { Covariates } from '../../models/forecaster.js';
import { UserError } from '../../util/errors.js';
import { emit } from '../output.js';
import { COMMAND_INDEX } from '../command-index.js';
import { addIncidentSourceOptions, loadCommandIncidents, type IncidentSourceOptions } from '../incident-source.js';
import { RISK_LAYERS_HELP, riskLayerCovariates } from '../risk-layer-options.js';
import { describeLayer } from '../../features/point-layers.js';

interface RiskTerrainOptions extends IncidentSourceOptions {
  units: string;
  riskLayers: string[];
  out?: string;
  csv?: string;
  dropFirstRow?: boolean;
  json?: boolean;
}

export interface LayerStats { feature: string; min: number; median: number; max: number; mean: number; nonZeroShare?: number }

/** Per-feature summary: distances in metres, counts with the share of regions having at least one point. */
export function layerStats(cov: Covariates, regions: number): LayerStats[] {
  const k = cov.names.length;
  return cov.names.map((feature, j) => {
    const v = Float64Array.from({ length: regions }, (_, r) => cov.values[r * k + j]).filter((x) => Number.isFinite(x)).sort();
    const mean = v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
    const s: LayerStats = { feature, min: v[0], median: v[Math.floor((v.length - 1) / 2)], max: v[v.length - 1], mean };
    if (feature.startsWith('n')) s.nonZeroShare = v.filter((x) => x > 0).length / Math.max(1, v.length);
    return s;
  });
}

/** CSV: one row per region with its centroid and every layer feature (metres, counts). */
export function riskTerrainCsv(units: SpatialUnits, cov: Covariates): string {
  const k = cov.names.length;
  const lines = [['region', 'centroid_lat', 'centroid_lon', 'area_m2', ...cov.names].join(',')];
  for (let r = 0; r < units.n; r++) {
    const vals = Array.from({ length: k }, (_, j) => { const x = cov.values[r * k + j]; return Number.isFinite(x) ? String(+x.toFixed(1)) : ''; });
    const id = /[",\n]/.test(units.ids[r]) ? `"${units.ids[r].replace(/"/g, '""')}"` : units.ids[r];
    lines.push([id, units.centroidLat[r].toFixed(6), units.centroidLon[r].toFixed(6), units.area[r].toFixed(1), ...vals].join(','));
  }
  return lines.join('\n') + '\n';
}

export function register(program: Command): void {
  const cmd = program
    .command('risk-terrain')
    .description(COMMAND_INDEX['risk-terrain'].description)
    .requiredOption('--units <spec>', 'spatial units: grid:500 | grid:cell=250,mask=FILE.geojson | h3:9 | polygons:FILE.geojson,id=PROP')
    .requiredOption('--risk-layers <spec>', RISK_LAYERS_HELP, (v: string, acc: string[] = []) => [...acc, v])
    .option('--bbox <minLon,minLat,maxLon,maxLat>', 'extent of a grid (otherwise the incidents\' extent)')
    .option('--out <file.geojson>', 'GeoJSON: one feature per region with dist_NAME (metres) and nRm_NAME (points within R m)')
    .option('--csv <file.csv>', 'CSV: one row per region with its centroid and the same columns')
    .option('--json', 'print one JSON object on stdout');
  addIncidentSourceOptions(cmd);
  cmd.action(async (o: RiskTerrainOptions & { bbox?: string }) => {
    if (!o.out && !o.csv && !o.json) throw new UserError('say where the layers go: --out layers.geojson, --csv layers.csv, or --json for the summary');
    if (o.out && !/\.(geo)?json$/i.test(o.out)) throw new UserError(`--out ${o.out}: give a .geojson file name`);
    const bbox = o.bbox ? parseBBox(o.bbox) : undefined;
    const { kind, params } = parseUnitSpec(o.units);
    // as `grid`: incidents give the extent unless the unit spec or --bbox already does
    const selfContained = kind === 'polygons' || (kind === 'h3' && params.polygon !== undefined) ||
      (kind === 'grid' && bbox !== undefined && params.mask !== 'incidents') || (kind === 'stshn' && params.origin === 'chicago');
    const incidents = !selfContained || o.input !== undefined || o.dataset !== undefined ? await loadCommandIncidents(o, bbox) : undefined;
    if (incidents && incidents.n === 0) throw new UserError('no incidents match the selection, so the unit set has no extent', 'give --bbox, or polygons:FILE.geojson units');
    const units = buildUnits(o.units, incidents, { bbox });
    const { covariates, summary } = riskLayerCovariates(units, o.riskLayers);
    if (!o.json) for (const l of summary.layers) process.stderr.write(describeLayer(l) + '\n');
    if (o.out) {
      const k = covariates.names.length;
      const props: Record<string, (number | null)[]> = {};
      covariates.names.forEach((n, j) => { props[n] = Array.from({ length: units.n }, (_, r) => { const x = covariates.values[r * k + j]; return Number.isFinite(x) ? +x.toFixed(1) : null; }); });
      props.centroid_lat = Array.from(units.centroidLat, (x) => +x.toFixed(6));
      props.centroid_lon = Array.from(units.centroidLon, (x) => +x.toFixed(6));
      writeUnitsGeoJSON(o.out, units, props);
    }
    if (o.csv) writeFileSync(o.csv, riskTerrainCsv(units, covariates));
    const stats = layerStats(covariates, units.n);
    const result = { units: { spec: o.units, kind: units.kind, n: units.n }, radius: summary.radius, layers: summary.layers, features: stats, units_note: 'dist_* in metres from the region centroid to the nearest point; n<R>m_* points within R metres of the centroid', out: o.out ?? null, csv: o.csv ?? null };
    emit(!!o.json, result, () => [
      `risk terrain over ${units.n} ${units.kind} regions, radius ${summary.radius} m${o.out || o.csv ? ` → ${[o.out, o.csv].filter(Boolean).join(', ')}` : ''}`,
      `  ${'feature'.padEnd(28)} ${'min'.padStart(9)} ${'median'.padStart(9)} ${'max'.padStart(9)}  regions with ≥ 1`,
      ...stats.map((s) => `  ${s.feature.padEnd(28)} ${s.min.toFixed(0).padStart(9)} ${s.median.toFixed(0).padStart(9)} ${s.max.toFixed(0).padStart(9)}${s.nonZeroShare !== undefined ? `  ${(100 * s.nonZeroShare).toFixed(1)}%` : ''}`),
      '  (dist_*: metres from the region centroid to the nearest point; n*m_*: points within the radius)',
    ].join('\n'));
  });
}
