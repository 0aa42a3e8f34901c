/**
 * A spec's data as the backtest engine takes it: the count tensor (read from a tensor file, or built from incidents
 * with the spec's units and periods), the units and region graph when models need them, and the period indices of
 * the train / validation / test spans. Everything left out (rejected rows, incidents outside the units or spans) is
 * counted and returned as notes; more than 5% outside the units stops the run unless accepted.
 */
import { readIncidentFile } from '../../data/ingest/read.js';
import type { ReadOptions } from '../../data/ingest/spec.js';
import type { IncidentTable } from '../../data/incident-table.js';
import { selectIncidents } from '../../data/incident-table.js';
import { buildStshnGrid } from '../../space/stshn-grid.js';
import { buildUnits } from '../../space/build-units.js';
import { studyAreaUnits } from '../../space/study-area.js';
import { loadAdjacency, withAdjacency, type AdjacencySource } from '../../space/adjacency-file.js';
import type { SpatialUnits } from '../../space/units.js';
import { categoryMap } from '../../tensor/build.js';
import { createTensor, type CountTensor } from '../../tensor/count-tensor.js';
import { buildDataset, checkDropped } from '../../tensor/dataset.js';
import { readNpy, npyToFloat64 } from '../../tensor/npy.js';
import { tensorFromStshnNpy } from '../../tensor/stshn.js';
import { binningFromStart, isoLocal, localDateToUtc, parseLocalDate } from '../../time/bins.js';
import { UserError } from '../../util/errors.js';
import type { BacktestData } from '../backtest/engine.js';
import { modelsNeed } from '../protocols/needs.js';
import { specPath, type LoadedSpec } from './load.js';
import type { BenchmarkSpec, IncidentSourceSpec, UnitsSpec } from './schema.js';
import { existsSync } from 'node:fs';
import { joinCovariates, mergeCovariates } from '../../features/covariates.js';
import { loadTimeCovariates } from '../../features/time-covariates.js';
import { join } from 'node:path';

export interface SpecDataOptions {
  dataDir?: string;
  /** Go on when more than 5% of the incidents fall outside the units. */
  acceptOutside?: boolean;
  /** Overrides the spec's adjacency (the CLI's --adjacency). */
  adjacency?: AdjacencySource;
}

export interface SpecData {
  data: BacktestData;
  /** Period ranges [from, to) of the spans. */
  train: [number, number];
  validation?: [number, number];
  test: [number, number];
  /** The spec's units with the region graph (data.units only when a model needs them). */
  units?: SpatialUnits;
  /** What was read, left out or derived, for the result's notes. */
  notes: string[];
}

/** The local date after `s` (YYYY-MM-DD). */
function nextDay(s: string): string {
  const { year, month, day } = parseLocalDate(s);
  return new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
}

/** Periods [from, to) of an inclusive local-date span; refuses spans outside the tensor. */
function spanIndex(t: CountTensor, span: { from: string; to: string }, field: string, file: string): [number, number] {
  const a = localDateToUtc(span.from, t.tz), b = localDateToUtc(nextDay(span.to), t.tz);
  const first = t.periodStart[0];
  const end = t.periods > 1 ? 2 * t.periodStart[t.periods - 1] - t.periodStart[t.periods - 2] : Infinity;
  if (a < first || b > end + 1) {
    throw new UserError(`${file}: spans.${field} ${span.from}…${span.to} lies outside the data (${new Date(first).toISOString().slice(0, 10)} onwards, ${t.periods} ${t.unit}s)`);
  }
  const from = t.periodStart.findIndex((s) => s >= a - 1);
  let to = t.periodStart.findIndex((s) => s >= b - 1);
  if (to < 0) to = t.periods;
  if (to <= from) throw new UserError(`${file}: spans.${field} ${span.from}…${span.to} holds no whole ${t.unit}`);
  return [from, to];
}

export function readOptionsOf(s: IncidentSourceSpec, tz: string): ReadOptions {
  const { kind: _k, file: _f, timeFormat, encoding, ...rest } = s;
  return { ...rest, tz, timeFormat: timeFormat as ReadOptions['timeFormat'], encoding: encoding as ReadOptions['encoding'] };
}

async function readIncidents(loaded: LoadedSpec, s: IncidentSourceSpec, field: string, dataDir?: string): Promise<{ table: IncidentTable; note?: string }> {
  const file = specPath(loaded, s.file, `${field}.file`, dataDir);
  const { table, rejects } = await readIncidentFile(file, readOptionsOf(s, loaded.spec.timeZone));
  if (table.tz !== loaded.spec.timeZone) throw new UserError(`${loaded.file}: ${file} holds times in ${table.tz}, the spec says timeZone ${loaded.spec.timeZone}`);
  if (!rejects.length) return { table };
  const why = new Map<string, number>();
  for (const r of rejects) why.set(r.reason, (why.get(r.reason) ?? 0) + 1);
  return { table, note: `${rejects.length} row(s) of ${s.file} rejected and left out (${[...why].map(([k, v]) => `${k} ${v}`).join(', ')}).` };
}

/** Units from the spec; grid / H3 study areas drawn from training incidents use only those (no test leak). */
function unitsOf(loaded: LoadedSpec, u: UnitsSpec, training: Pick<IncidentTable, 'lat' | 'lon' | 'n'> | undefined, dataDir?: string, all?: Pick<IncidentTable, 'lat' | 'lon' | 'n'>): { units: SpatialUnits; spec: string; note: string; fromTraining: boolean } {
  const path = (p: string, f: string) => specPath(loaded, p, f, dataDir);
  if (u.kind === 'degree-grid') {
    const units = buildStshnGrid({ minLat: u.minLat, minLon: u.minLon, rows: u.rows, cols: u.cols, kmPerDegLat: u.kmPerDegLat, kmPerDegLon: u.kmPerDegLon, cellKm: u.cellKm });
    return { units, spec: 'degree-grid', fromTraining: false, note: `units: ${u.rows} × ${u.cols} degree grid of ${u.cellKm} km cells from (${u.minLat}, ${u.minLon}) at ${u.kmPerDegLat} / ${u.kmPerDegLon} km per degree` };
  }
  if (u.kind === 'polygons') {
    const spec = `polygons:${path(u.file, 'units.file')},id=${u.idProperty}${u.order ? `,order=${u.order}` : ''}${u.adjacency ? `,adjacency=${u.adjacency}` : ''}`;
    if (!training) { const units = buildUnits(spec); return { units, spec, fromTraining: false, note: `units: ${units.n} polygons of ${u.file}` }; }
    return studyAreaUnits(spec, training);
  }
  if (u.kind === 'h3') {
    const poly = typeof u.studyArea === 'object' ? `,polygon=${path(u.studyArea.polygon, 'units.studyArea.polygon')}` : '';
    if (!poly && !training) throw new UserError(`${loaded.file}: h3 units with studyArea "training-incidents" need an incident source`);
    return studyAreaUnits(`h3:res=${u.resolution}${poly}`, training ?? { lat: new Float64Array(), lon: new Float64Array(), n: 0 });
  }
  const mask = u.studyArea === 'training-incidents' ? 'incidents' : u.studyArea === 'bounding-box' ? 'none' : path(u.studyArea.polygon, 'units.studyArea.polygon');
  if ((u.cellMetres === undefined) === (u.cellFeet === undefined)) throw new UserError(`${loaded.file}: units.grid needs exactly one of cellMetres and cellFeet`);
  const cell = u.cellMetres ?? u.cellFeet! * 0.3048;
  const spec = `grid:cell=${cell}${u.origin ? `,origin=${u.origin.lat}/${u.origin.lon}` : ''}${u.adjacency ? `,adjacency=${u.adjacency}` : ''},mask=${mask}`;
  if (!training) throw new UserError(`${loaded.file}: grid units need an incident source for their extent`);
  // a boundary decides which cells count, so the grid may span all incidents (as the Chicago fine-scale protocols always did)
  return studyAreaUnits(spec, typeof u.studyArea === 'object' && all ? all : training);
}

function adjacencyOf(loaded: LoadedSpec, o: SpecDataOptions): AdjacencySource | undefined {
  if (o.adjacency !== undefined) return o.adjacency;
  const a = loaded.spec.adjacency;
  if (a === undefined) return undefined;
  return typeof a === 'string' ? specPath(loaded, a, 'adjacency', o.dataDir) : a;
}

export async function loadSpecData(loaded: LoadedSpec, models: string[], o: SpecDataOptions = {}): Promise<SpecData> {
  const { spec, file } = loaded;
  const need = modelsNeed(models);
  const adjacency = adjacencyOf(loaded, o);
  const notes: string[] = [];
  let data: BacktestData;
  let units: SpatialUnits | undefined;
  // the user's region graph replaces the units' own adjacency, for every model and the spatial statistics
  const graph = (u: SpatialUnits): SpatialUnits => {
    if (adjacency === undefined) return u;
    const { adjacency: adj, note } = loadAdjacency(adjacency, u);
    notes.push(note);
    return withAdjacency(u, adj);
  };
  if (spec.source.kind === 'tensor') {
    const src = spec.source;
    if (spec.covariates) throw new UserError(`${file}: covariates are joined to units built from incidents; a tensor source cannot take them yet`);
    const tensor = readTensor(loaded, o.dataDir);
    data = { tensor };
    if (spec.units) {
      units = unitsOf(loaded, spec.units, undefined, o.dataDir).units;
      if (units.n !== tensor.regions) throw new UserError(`${file}: units have ${units.n} regions, the tensor ${tensor.regions}`);
      if (src.unitIdOffset !== undefined && units.ids.some((id, i) => Number(id) !== i + src.unitIdOffset!)) {
        throw new UserError(`${file}: expected unit ids ${src.unitIdOffset}…${tensor.regions - 1 + src.unitIdOffset} in order, got ${units.ids.slice(0, 3).join(', ')}, …`);
      }
      units = graph(units);
      // models that do not ask for units are not given them (as the published protocols ran)
      if (need.units || need.incidents) data.units = units;
    } else if (need.units || need.incidents) {
      throw new UserError(`${file}: the models ${models.join(', ')} need spatial units; the spec has none`, 'add "units" (the polygons or grid the tensor\'s regions are)');
    } else if (adjacency !== undefined) {
      throw new UserError(`${file}: an adjacency needs units to attach to; the spec has none`, 'add "units"');
    }
    if (need.incidents && !src.incidents) throw new UserError(`${file}: the models ${models.join(', ')} need raw incidents; the spec's tensor source has none`, 'add source.incidents (the incident file the tensor was built from)');
    if (need.incidents && src.incidents) {
      const { table, note } = await readIncidents(loaded, src.incidents, 'source.incidents', o.dataDir);
      if (note) notes.push(note);
      const { map } = categoryMap(table.categories, tensor.categoryNames);
      data.incidents = table;
      data.incidentRegion = data.units!.assign(table.lat, table.lon);
      data.incidentCategory = Int32Array.from(table.cat, (c) => map[c]);
      let outside = 0;
      for (const r of data.incidentRegion) if (r < 0) outside++;
      notes.push(`Point models see ${table.n - outside} of ${table.n} raw incidents of ${src.incidents.file}${outside ? `; ${outside} (${((100 * outside) / table.n).toFixed(1)}%) fall outside the units` : ''}.`);
    }
  } else {
    if (!spec.units) throw new UserError(`${file}: an incident source needs "units"`);
    const { table, note } = await readIncidents(loaded, spec.source, 'source', o.dataDir);
    if (note) notes.push(note);
    const cut = localDateToUtc(spec.spans.test.from, spec.timeZone);
    const training = selectIncidents(table, (i) => table.t[i] < cut);
    if (training.n === 0) throw new UserError(`${file}: no incidents before spans.test.from ${spec.spans.test.from}: nothing to train on`);
    const area = unitsOf(loaded, spec.units, training, o.dataDir, table);
    notes.push(area.note);
    const ds = buildDataset(table, { units: area.units, period: spec.period, categories: spec.categories, start: spec.spans.train.from, end: spec.spans.test.to });
    // every incident left out is counted; cells with no training incident are an expected, reported loss
    const dropped = checkDropped(ds.report, area.spec, o.acceptOutside || area.fromTraining);
    notes.push(dropped ?? `all ${ds.report.total} incidents counted.`);
    data = ds;
    units = data.units = graph(ds.units);
    if (spec.covariates) attachSpecCovariates(loaded, data, notes, o.dataDir);
  }
  const t = data.tensor;
  const train = spanIndex(t, spec.spans.train, 'train', file);
  const test = spanIndex(t, spec.spans.test, 'test', file);
  const validation = spec.spans.validation ? spanIndex(t, spec.spans.validation, 'validation', file) : undefined;
  if (train[0] >= test[0] || (validation && (validation[0] < train[1] - 1 || validation[1] > test[0]))) {
    throw new UserError(`${file}: spans must run train, validation, test in that order without overlap`);
  }
  return { data, units, train, validation, test, notes };
}

/** A tensor file read with the spec's start, time zone, category and region names. */
export function readTensor(loaded: LoadedSpec, dataDir?: string): CountTensor {
  const { spec, file } = loaded;
  const src = spec.source;
  if (src.kind !== 'tensor') throw new Error('not a tensor source');
  const path = specPath(loaded, src.file, 'source.file', dataDir);
  let tensor: CountTensor;
  if (src.layout === 'stshn-splits') {
    if (spec.period !== 'day') throw new UserError(`${file}: stshn-splits tensors are daily; set "period": "day"`);
    const parts = ['trn', 'val', 'tst'].map((s) => join(path, `${s}.npy`));
    for (const f of parts) if (!existsSync(f)) throw new UserError(`${file}: ${f} not found`, 'layout stshn-splits points at a folder holding trn.npy, val.npy and tst.npy');
    const [trn, val, tst] = parts.map((f) => readNpy(f));
    tensor = tensorFromStshnNpy(trn, val, tst, { start: src.start, tz: spec.timeZone, categories: spec.categories });
    // the files are the splits: the spec's dates must say the same
    const days = [trn, val, tst].map((a) => a.shape[2]);
    const bounds = [0, days[0], days[0] + days[1], days[0] + days[1] + days[2]];
    const iso = (p: number) => isoLocal(tensor.periodStart[p], spec.timeZone).slice(0, 10);
    const want = { train: [bounds[0], bounds[1]], validation: [bounds[1], bounds[2]], test: [bounds[2], bounds[3]] } as const;
    for (const k of ['train', 'validation', 'test'] as const) {
      const s = spec.spans[k];
      const [a, b] = want[k];
      if (!s || s.from !== iso(a) || s.to !== iso(b - 1)) {
        throw new UserError(`${file}: spans.${k} must be ${iso(a)}…${iso(b - 1)}, the ${['trn', 'val', 'tst'][['train', 'validation', 'test'].indexOf(k)]}.npy split of ${src.file}`);
      }
    }
  } else {
    const a = readNpy(path);
    if (a.shape.length !== 3) throw new UserError(`${path}: expected (periods, regions, categories), got (${a.shape.join(', ')})`);
    const [D, R, C] = a.shape;
    if (C !== spec.categories.length) throw new UserError(`${file}: ${src.file} holds ${C} categories, the spec names ${spec.categories.length}`);
    const ids = src.regionIds === 'index' ? Array.from({ length: R }, (_, r) => String(r)) : src.regionIds;
    if (ids.length !== R) throw new UserError(`${file}: source.regionIds lists ${ids.length} ids, ${src.file} has ${R} regions`);
    tensor = createTensor({
      periods: D, regions: R, categories: C, categoryNames: [...spec.categories], regionIds: ids,
      periodStart: Float64Array.from(binningFromStart(spec.period, spec.timeZone, src.start, D).periodStart),
      unit: spec.period, tz: spec.timeZone,
    }, Float32Array.from(npyToFloat64(a)));
  }
  return tensor;
}

/** The spec's covariates joined to the regions and periods; what did not join is counted in the notes. */
function attachSpecCovariates(loaded: LoadedSpec, data: BacktestData, notes: string[], dataDir?: string): void {
  const c = loaded.spec.covariates!;
  const ids = data.tensor.regionIds;
  if (c.static.length) {
    const blocks = c.static.map((b, k) => {
      const path = specPath(loaded, b.file, `covariates.static.${k}.file`, dataDir);
      const j = joinCovariates(path, ids, b.key, b.columns);
      if (j.missingRegions.length) notes.push(`covariates ${b.file}: ${j.missingRegions.length} of ${ids.length} regions have no row (their values are missing)`);
      if (j.unmatchedKeys.length) notes.push(`covariates ${b.file}: ${j.unmatchedKeys.length} rows match no region`);
      if (j.covariates.names.length !== b.columns.length) throw new UserError(`${path}: columns ${b.columns.filter((x) => !j.covariates.names.includes(x)).join(', ')} hold no numbers`);
      if (b.names && b.names.length !== b.columns.length) throw new UserError(`${loaded.file}: covariates.static.${k}.names lists ${b.names.length} names for ${b.columns.length} columns`);
      const logged = new Set(b.log ?? []);
      for (const l of logged) if (!b.columns.includes(l)) throw new UserError(`${loaded.file}: covariates.static.${k}.log names "${l}", not one of its columns`);
      const K = b.columns.length;
      for (let r = 0; r < ids.length; r++) b.columns.forEach((col, j2) => { if (logged.has(col)) j.covariates.values[r * K + j2] = Math.log(j.covariates.values[r * K + j2]); });
      return { names: b.names ?? b.columns, values: j.covariates.values };
    });
    data.covariates = mergeCovariates(blocks, ids.length);
    notes.push(`Static covariates: ${data.covariates.names.join(', ')}.`);
  }
  if (c.time) {
    const path = specPath(loaded, c.time.file, 'covariates.time.file', dataDir);
    const { timeCovariates, report } = loadTimeCovariates({ path, date: c.time.date, key: c.time.key, columns: c.time.columns }, data.tensor);
    data.timeCovariates = timeCovariates;
    const left = [report.outside ? `${report.outside} after the last period` : '', report.unmatched ? `${report.unmatched} matching no region` : ''].filter(Boolean);
    notes.push(`Time-varying covariates ${c.time.columns.join(', ')} from ${c.time.file} (features see them one period late)${left.length ? `; rows left out: ${left.join(', ')}` : ''}.`);
  }
}
