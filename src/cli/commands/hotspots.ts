/**
 * `crimecast hotspots`: Getis-Ord Gi*, Moran's I (global + local) or emerging hot-spot analysis over a
 * unit set, written as GeoJSON (one feature per region, results as properties).
 */
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import type { IncidentTable } from '../../data/incident-table.js';
import { parseBBox } from '../../space/bbox.js';
import { buildUnits, UNIT_SPEC_HELP } from '../../space/build-units.js';
import type { SpatialUnits } from '../../space/units.js';
import { cubeFromTensor, emergingHotSpots } from '../../stats/hotspot/emerging.js';
import { giStar } from '../../stats/hotspot/gi-star.js';
import { hotspotsToGeoJSON, runSummary, type RegionResult } from '../../stats/hotspot/geojson.js';
import { globalMoran, type GlobalMoranResult } from '../../stats/hotspot/moran-global.js';
import { localMoran } from '../../stats/hotspot/moran-local.js';
import { WEIGHTS_SPEC_HELP, weightsFromSpec } from '../../stats/hotspot/weights-spec.js';
import { buildCountTensor } from '../../tensor/build.js';
import { makeBinning, parsePeriodUnit } from '../../time/bins.js';
import { utcToLocalParts } from '../../time/zone.js';
import { UserError } from '../../util/errors.js';
import { ADJACENCY_HELP, loadAdjacency, parseAdjacencyArg, withAdjacency } from '../../space/adjacency-file.js';
import { emit, info } from '../output.js';
import { startProgress } from '../progress.js';
import { addIncidentSourceOptions, loadCommandIncidents, type IncidentSourceOptions } from '../incident-source.js';
import { addDpOptions, describeRelease, geometryLeakNote, parseDpOptions, type DpCliOptions } from '../dp-options.js';
import { privatizeValues, type DpRelease } from '../../responsible/privacy/publish-forecast.js';

const COUNT_SENSITIVITY = 'each incident adds 1 to one count; a person in several incidents needs Δ = their most incidents';

interface HotspotsOptions extends IncidentSourceOptions, DpCliOptions {
  method: string;
  units: string;
  weights: string;
  adjacency?: string;
  category?: string;
  period: string;
  timeWindow: string;
  fdr?: boolean;
  permutations: string;
  seed: string;
  alpha: string;
  out?: string;
  dropFirstRow?: boolean;
  json?: boolean;
}

const METHODS: Record<string, 'gi*' | 'moran' | 'emerging'> = { 'gi*': 'gi*', gi: 'gi*', gistar: 'gi*', moran: 'moran', lisa: 'moran', emerging: 'emerging' };

function int(name: string, s: string, min: number): number {
  const v = Number(s);
  if (!Number.isInteger(v) || v < min) throw new UserError(`--${name} must be an integer ≥ ${min}, got "${s}"`);
  return v;
}

const localDate = (ms: number, tz: string) => {
  const p = utcToLocalParts(ms, tz);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
};

function timeSpan(table: IncidentTable, o: HotspotsOptions): { from: string; to: string } {
  let tMin = Infinity, tMax = -Infinity;
  for (let i = 0; i < table.n; i++) { const t = table.t[i]; if (t < tMin) tMin = t; if (t > tMax) tMax = t; }
  return { from: o.from ?? localDate(tMin, table.tz), to: o.to ?? localDate(tMax, table.tz) };
}

/** Incidents per region within [from, to] (local dates) and of the chosen category. */
function regionTotals(table: IncidentTable, units: SpatialUnits, span: { from: string; to: string }, category?: string): Float64Array {
  const cat = category === undefined ? -1 : table.categories.indexOf(category);
  if (category !== undefined && cat < 0) throw new UserError(`unknown category "${category}"`, `categories in the data: ${table.categories.slice(0, 20).join(', ')}`);
  const day = makeBinning({ unit: 'day', tz: table.tz, start: span.from, end: span.to }).index(table.t);
  const region = units.assign(table.lat, table.lon);
  const values = new Float64Array(units.n);
  for (let i = 0; i < table.n; i++) if (region[i] >= 0 && day[i] >= 0 && (cat < 0 || table.cat[i] === cat)) values[region[i]]++;
  return values;
}

export function register(program: Command): void {
  const cmd = program
    .command('hotspots')
    .description("hot-spot statistics per region: Getis-Ord Gi*, Moran's I (global + local), or emerging hot spots")
    .requiredOption('--method <m>', 'gi* | moran | emerging')
    .requiredOption('--units <spec>', `spatial units: ${UNIT_SPEC_HELP}`)
    .option('--weights <spec>', `neighbours: ${WEIGHTS_SPEC_HELP}`, 'contiguity')
    .option('--adjacency <source>', `the region graph contiguity weights use (default: the units' own): ${ADJACENCY_HELP}`)
    .option('--category <name>', 'analyse one category (default: all incidents)')
    .option('--period <unit>', 'time step for --method emerging: day | week | month', 'week')
    .option('--time-window <k>', 'emerging: earlier time steps in each bin\'s neighbourhood', '1')
    .option('--fdr', 'Benjamini–Hochberg false-discovery-rate correction (gi*, emerging)')
    .option('--permutations <n>', 'moran: random permutations', '999')
    .option('--seed <n>', 'moran: random seed', '1')
    .option('--alpha <p>', 'significance level for clusters and patterns', '0.05')
    .option('--from <date>', 'first local date YYYY-MM-DD (default: first incident)')
    .option('--to <date>', 'last local date YYYY-MM-DD, inclusive (default: last incident)')
    .option('--bbox <minLon,minLat,maxLon,maxLat>', 'keep incidents inside this box; also the grid extent')
    .option('--out <file>', 'output GeoJSON; optional with --json, which then prints the GeoJSON inside its summary')
    .option('--json', 'print one JSON object on stdout');
  addIncidentSourceOptions(cmd);
  addDpOptions(cmd, 'geometric', COUNT_SENSITIVITY);
  cmd.action(async (o: HotspotsOptions) => {
    if (o.out === undefined && !o.json) throw new UserError('say where the map goes: --out hotspots.geojson, or --json to print it');
    const method = METHODS[o.method.toLowerCase()];
    if (!method) throw new UserError(`unknown method "${o.method}"`, 'use gi*, moran or emerging');
    const dp = parseDpOptions(o, 'geometric');
    // the statistics are computed from the noisy counts only: post-processing keeps the guarantee
    let release: DpRelease | undefined;
    const privatize = <T extends ArrayLike<number>>(values: T, cells: string): Float64Array | T => {
      if (!dp) return values;
      const r = privatizeValues(values, dp.mechanism, { epsilon: dp.epsilon, sensitivity: dp.sensitivity }, dp.seed, cells, dp.mechanism === 'geometric');
      release = r.release;
      return r.values;
    };
    const alpha = Number(o.alpha);
    if (!(alpha > 0 && alpha < 1)) throw new UserError(`--alpha must lie in (0, 1), got "${o.alpha}"`);
    const bbox = o.bbox ? parseBBox(o.bbox) : undefined;
    const progress = startProgress('hotspots', 3);
    const table = await loadCommandIncidents({ ...o, categories: o.category }, bbox);
    if (table.n === 0) throw new UserError('no incidents match the selection');
    let units = buildUnits(o.units, table, { bbox });
    if (o.adjacency) {
      if (o.weights !== 'contiguity') throw new UserError(`--adjacency sets the graph of contiguity weights; --weights ${o.weights} does not use it`, 'drop --weights or give --weights contiguity');
      const graph = loadAdjacency(parseAdjacencyArg(o.adjacency), units);
      units = withAdjacency(units, graph.adjacency);
      if (!o.json) info(graph.note);
    }
    const span = timeSpan(table, o);
    progress.update(1, 3, 'units built');

    let result: RegionResult;
    let global: GlobalMoranResult | undefined;
    const t0 = performance.now();
    if (method === 'emerging') {
      const unit = parsePeriodUnit(o.period);
      const binning = makeBinning({ unit, tz: table.tz, start: span.from, end: span.to });
      // Without --category every incident counts: relabel them as one category so the tensor stays periods × regions × 1.
      const source = o.category ? table : { ...table, cat: new Uint16Array(table.n), categories: ['all'] };
      const built = buildCountTensor(source, units, binning, { categories: o.category ? [o.category] : undefined }).tensor;
      const tensor = dp ? { ...built, data: Float32Array.from(privatize(built.data, `incident count per region × ${unit}`)) } : built;
      const w = weightsFromSpec(o.weights, units, { includeSelf: true });
      result = emergingHotSpots(cubeFromTensor(tensor), w, { timeWindow: int('time-window', o.timeWindow, 0), alpha, fdr: !!o.fdr });
    } else {
      const values = privatize(regionTotals(table, units, span, o.category), 'incident count per region over the window');
      if (method === 'gi*') {
        result = giStar(values, weightsFromSpec(o.weights, units, { includeSelf: true }), { fdr: !!o.fdr });
      } else {
        const w = weightsFromSpec(o.weights, units, { style: 'row' });
        const permutations = int('permutations', o.permutations, 1), seed = int('seed', o.seed, 0);
        global = globalMoran(values, w, { permutations, seed });
        result = localMoran(values, w, { permutations, seed, alpha });
      }
    }
    const seconds = (performance.now() - t0) / 1000;
    progress.update(2, 3, 'computed');
    const fc = hotspotsToGeoJSON(units, result, { global });
    if (o.out) writeFileSync(o.out, JSON.stringify(fc));
    progress.stop();
    if (result.islands.length > 0 && !o.json) info(`note: ${result.islands.length} region(s) have no neighbours; their statistics are null (reason "no neighbours")`);
    const summary = {
      out: o.out ?? null, units: { kind: units.kind, n: units.n, spec: o.units }, weights: o.weights,
      category: o.category ?? null, from: span.from, to: span.to, seconds, ...runSummary(result, units, global),
      ...(o.out ? {} : { geojson: fc }),
      ...(release ? { differentialPrivacy: { ...(release as DpRelease), sensitivityNote: COUNT_SENSITIVITY, geometryNote: geometryLeakNote(o.units, !!o.bbox) ?? null } } : {}),
    };
    const leak = release ? geometryLeakNote(o.units, !!o.bbox) : undefined;
    if (release && !o.json) for (const line of [...describeRelease(release, COUNT_SENSITIVITY), ...(leak ? [`  ⚠ ${leak}`] : [])]) info(line);
    emit(!!o.json, summary, () => humanSummary(summary));
  });
}

function humanSummary(s: Record<string, unknown>): string {
  const lines = [`wrote ${s.out}: ${s.method} over ${(s.units as { n: number }).n} regions (${s.from} … ${s.to})`];
  const tally = (s.bins ?? s.clusters ?? s.patterns) as Record<string, number> | undefined;
  if (tally) for (const [k, v] of Object.entries(tally).sort((a, b) => b[1] - a[1])) lines.push(`  ${k.padEnd(24)} ${v}`);
  const g = s.global as { I: number | null; expected: number; permutation: { pSim: number } | null } | undefined;
  if (g && g.I !== null) lines.push(`  global Moran's I = ${g.I.toFixed(4)} (E[I] = ${g.expected.toFixed(4)}${g.permutation ? `, pseudo p = ${g.permutation.pSim.toFixed(4)}` : ''})`);
  return lines.join('\n');
}
