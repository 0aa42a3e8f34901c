/** `crimecast grid`: build a spatial unit set and write it as GeoJSON (for a map, or to check a spec). */
import type { Command } from 'commander';
import { parseBBox } from '../../space/bbox.js';
import { buildUnits, parseUnitSpec } from '../../space/build-units.js';
import { writeUnitsGeoJSON } from '../../space/geojson.js';
import { UserError } from '../../util/errors.js';
import { emit } from '../output.js';
import { addIncidentSourceOptions, loadCommandIncidents, type IncidentSourceOptions } from '../incident-source.js';

interface GridCommandOptions extends IncidentSourceOptions {
  units: string;
  out: string;
  dropFirstRow?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  const cmd = program
    .command('grid')
    .description('build spatial units (square grid, H3, polygons, ST-SHN grid) and write them as GeoJSON')
    .requiredOption('--units <spec>', 'grid:250 | grid:cell=500,origin=LAT/LON,mask=incidents | h3:9 | polygons:FILE.geojson,id=PROP | stshn')
    .option('--bbox <minLon,minLat,maxLon,maxLat>', 'extent to cover (otherwise the incidents\' extent)')
    .option('--from <date>', 'store filter: first local date YYYY-MM-DD')
    .option('--to <date>', 'store filter: last local date YYYY-MM-DD')
    .option('--categories <list>', 'store filter: comma-separated categories')
    .requiredOption('--out <file>', 'output GeoJSON file')
    .option('--json', 'print one JSON object on stdout');
  addIncidentSourceOptions(cmd);
  cmd.action(async (o: GridCommandOptions) => {
    const bbox = o.bbox ? parseBBox(o.bbox) : undefined;
    const { kind, params } = parseUnitSpec(o.units);
    // incidents are needed unless the spec is self-contained (polygons, a covering polygon, a bbox-only grid)
    const selfContained = kind === 'polygons' || (kind === 'h3' && params.polygon !== undefined) ||
      (kind === 'grid' && bbox !== undefined && params.mask !== 'incidents') || (kind === 'stshn' && params.origin === 'chicago');
    const wantsIncidents = !selfContained || o.input !== undefined || o.dataset !== undefined;
    const incidents = wantsIncidents ? await loadCommandIncidents(o, bbox) : undefined;
    if (incidents && incidents.n === 0) throw new UserError('no incidents match the selection, so the unit set has no extent');
    const units = buildUnits(o.units, incidents, { bbox });
    let counts: Float64Array | undefined;
    if (incidents) {
      counts = new Float64Array(units.n);
      for (const r of units.assign(incidents.lat, incidents.lon)) if (r >= 0) counts[r]++;
    }
    writeUnitsGeoJSON(o.out, units, counts ? { incidents: counts } : {});
    const totalArea = units.area.reduce((s, a) => s + a, 0);
    const inside = counts ? counts.reduce((s, c) => s + c, 0) : undefined;
    const result = {
      out: o.out,
      kind: units.kind,
      regions: units.n,
      lattice: units.lattice ?? null,
      areaKm2: totalArea / 1e6,
      meanNeighbours: units.adjacency.neighbors.length / units.n,
      incidents: incidents ? { total: incidents.n, inside } : null,
      spec: units.spec,
    };
    emit(!!o.json, result, () =>
      `wrote ${o.out}: ${units.n} ${units.kind} regions${units.lattice ? ` (${units.lattice.rows}×${units.lattice.cols} lattice)` : ''}, ` +
      `${result.areaKm2.toFixed(2)} km², ${result.meanNeighbours.toFixed(2)} neighbours on average` +
      (incidents ? `; ${inside} of ${incidents.n} incidents inside` : ''));
  });
}
