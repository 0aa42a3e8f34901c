/**
 * `crimecast trend`: STL decomposition and PELT change points of one area's (or the city's) crime series,
 * written as JSON or a hand-drawn SVG plot. Incidents come from a file or the store (the options every analysis
 * command shares), or a count tensor built earlier with `crimecast tensor` (--tensor).
 */
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { addIncidentSourceOptions, loadCommandIncidents, localDate, type IncidentSourceOptions } from '../incident-source.js';
import { buildUnits } from '../../space/build-units.js';
import { floorToPeriod, localDateToUtc, makeBinning, parsePeriodUnit, periodLabel, stepPeriod } from '../../time/bins.js';
import { buildCountTensor } from '../../tensor/build.js';
import { readTensorFile } from '../../tensor/io.js';
import type { CountTensor, PeriodUnit } from '../../tensor/count-tensor.js';
import { analyzeTrend } from '../../stats/trend/analyze.js';
import { trendSvg } from '../../stats/trend/trend-svg.js';
import { UserError } from '../../util/errors.js';
import { emit } from '../output.js';
import { COMMAND_INDEX } from '../command-index.js';
import { PERIODS_PER_YEAR, SEASONAL_CYCLE, similarUnits, trendDescriptors, type SimilarityMethod } from '../../stats/trend/similar.js';

const ADJ = { hour: 'hourly', day: 'daily', week: 'weekly', month: 'monthly' } as const;

interface TrendOptions extends IncidentSourceOptions {
  region?: string;
  city?: boolean;
  category?: string;
  period: string;
  units?: string;
  tensor?: string;
  tz?: string;
  dropFirstRow?: boolean;
  out?: string;
  json?: boolean;
  penalty?: string;
  robust?: boolean;
  similarTo?: string;
  method?: string;
  top: string;
  window?: string;
}

export interface TrendSeries {
  values: Float64Array; periodStart: Float64Array; unit: PeriodUnit; tz: string; region: string; category: string;
  /** The instants the data cover, [start, end): a first or last period reaching outside them is partial. */
  covered: { start: number; end: number };
}

/**
 * A first or last period only partly covered by the data (a week that starts before the first day of data) holds a
 * partial count; left in, it reads as a drop and PELT reports a false change point. Such periods are cut off.
 */
export function trimPartialPeriods(s: TrendSeries): { series: TrendSeries; leftOut: { start: number; coveredShare: number }[] } {
  const leftOut: { start: number; coveredShare: number }[] = [];
  const n = s.values.length;
  const share = (p: number) => {
    const a = s.periodStart[p], b = stepPeriod(a, s.unit, s.tz);
    return Math.max(0, Math.min(b, s.covered.end) - Math.max(a, s.covered.start)) / (b - a);
  };
  let from = 0, to = n;
  if (n > 0 && share(0) < 1) { leftOut.push({ start: s.periodStart[0], coveredShare: share(0) }); from = 1; }
  if (to - 1 >= from && share(to - 1) < 1) { leftOut.push({ start: s.periodStart[to - 1], coveredShare: share(to - 1) }); to -= 1; }
  if (!leftOut.length) return { series: s, leftOut };
  return { series: { ...s, values: s.values.slice(from, to), periodStart: s.periodStart.slice(from, to) }, leftOut };
}

/** One series out of a tensor: a region (or all) and a category (or all), aggregated to `unit` when coarser. */
export function seriesFromTensor(t: CountTensor, region: string | undefined, category: string | undefined, unit: PeriodUnit): TrendSeries {
  const { regions: R, categories: C } = t;
  const r = region === undefined ? -1 : t.regionIds.indexOf(region);
  if (region !== undefined && r < 0) throw new UserError(`region "${region}" is not in the tensor`, `region ids look like ${t.regionIds.slice(0, 5).join(', ')}`);
  const c = category === undefined ? -1 : t.categoryNames.indexOf(category);
  if (category !== undefined && c < 0) throw new UserError(`category "${category}" is not in the tensor`, `categories: ${t.categoryNames.join(', ')}`);
  const order = ['hour', 'day', 'week', 'month'];
  if (order.indexOf(unit) < order.indexOf(t.unit)) throw new UserError(`cannot analyse ${unit}s from a ${t.unit} tensor`);
  const starts: number[] = [], values: number[] = [];
  for (let p = 0; p < t.periods; p++) {
    let s = 0;
    for (let rr = 0; rr < R; rr++) {
      if (r >= 0 && rr !== r) continue;
      for (let cc = 0; cc < C; cc++) if (c < 0 || cc === c) s += t.data[(p * R + rr) * C + cc];
    }
    const start = unit === t.unit ? t.periodStart[p] : floorToPeriod(t.periodStart[p], unit, t.tz);
    if (starts.length && starts[starts.length - 1] === start) values[values.length - 1] += s;
    else { starts.push(start); values.push(s); }
  }
  const covered = { start: t.periodStart[0], end: stepPeriod(t.periodStart[t.periods - 1], t.unit, t.tz) };
  return { values: Float64Array.from(values), periodStart: Float64Array.from(starts), unit, tz: t.tz, region: region ?? 'city', category: category ?? 'all', covered };
}

async function loadSeries(o: TrendOptions): Promise<TrendSeries> {
  const unit = parsePeriodUnit(o.period);
  if (!o.city && o.region === undefined) throw new UserError('say which series: --region ID or --city');
  if (o.city && o.region !== undefined) throw new UserError('--region and --city exclude each other');
  if (o.tensor) return seriesFromTensor(readTensorFile(o.tensor), o.region, o.category, unit);
  if (o.region !== undefined && !o.units) throw new UserError('--region needs --units (e.g. --units stshn or grid:500) to know the areas');
  const table = await loadCommandIncidents({ ...o, categories: o.category });
  if (table.n === 0) throw new UserError('no incidents match the selection');
  const tz = o.tz ?? table.tz;
  let tMin = Infinity, tMax = -Infinity;
  for (let i = 0; i < table.n; i++) { tMin = Math.min(tMin, table.t[i]); tMax = Math.max(tMax, table.t[i]); }
  const firstDay = o.from ?? localDate(tMin, tz), lastDay = o.to ?? localDate(tMax, tz);
  const binning = makeBinning({ unit, tz, start: firstDay, end: lastDay });
  // the data cover whole local days from the first to the last
  const covered = { start: localDateToUtc(firstDay, tz), end: stepPeriod(localDateToUtc(lastDay, tz), 'day', tz) };
  const cats = o.category ? [o.category] : undefined;
  if (o.region !== undefined) {
    const units = buildUnits(o.units!, table);
    const { tensor } = buildCountTensor(table, units, binning, { categories: cats });
    return { ...seriesFromTensor(tensor, o.region, o.category, unit), covered };
  }
  // citywide: no spatial units needed, only the period of each incident
  const catIdx = o.category ? table.categories.indexOf(o.category) : -1;
  if (o.category && catIdx < 0) throw new UserError(`unknown category "${o.category}"`, `categories in the data: ${table.categories.slice(0, 20).join(', ')}`);
  const idx = binning.index(table.t), values = new Float64Array(binning.periods);
  for (let i = 0; i < table.n; i++) if (idx[i] >= 0 && (catIdx < 0 || table.cat[i] === catIdx)) values[idx[i]]++;
  return { values, periodStart: Float64Array.from(binning.periodStart), unit, tz, region: 'city', category: o.category ?? 'all', covered };
}

export function register(program: Command): void {
  const cmd = program
    .command('trend')
    .description(COMMAND_INDEX.trend.description)
    .option('--region <id>', 'one region (needs --units, or --tensor)')
    .option('--city', 'the citywide series')
    .option('--category <name>', 'one category (default: all together)')
    .option('--period <unit>', 'day | week (also hour, month)', 'day')
    .option('--units <spec>', 'spatial units for --region: grid:250 | h3:9 | polygons:FILE.geojson,id=PROP | stshn')
    .option('--tensor <file>', 'read counts from a tensor (.npy + .meta.json or .csv) instead of incidents')
    .option('--from <date>', 'first local date YYYY-MM-DD')
    .option('--to <date>', 'last local date YYYY-MM-DD, inclusive')
    .option('--tz <zone>', 'IANA zone for binning (default: the data\'s)')
    .option('--penalty <n>', 'change-point penalty (default 2·log n, BIC-style)')
    .option('--no-robust', 'plain STL instead of the robust (outlier-resistant) fit')
    .option('--similar-to <id>', 'list the regions whose series are most like this region\'s (needs --units or --tensor)')
    .option('--method <dtw|mahalanobis>', '--similar-to: dtw = shape of the z-normalised series, shifts of a few periods allowed; mahalanobis = level, slope, seasonal amplitude and persistence, whitened over all regions (default dtw)')
    .option('--top <n>', '--similar-to: how many regions to list', '10')
    .option('--window <k>', '--similar-to with dtw: largest shift in periods (default 10% of the series)')
    .option('--out <file>', 'trend.svg (plot) or trend.json (all components); optional with --json, which then prints the components too')
    .option('--json', 'print one JSON object on stdout');
  addIncidentSourceOptions(cmd);
  cmd.action(async (o: TrendOptions) => {
    if (o.similarTo !== undefined) return similarCommand(o);
    const stray = ([['--method', o.method], ['--window', o.window]] as const).filter(([, v]) => v !== undefined).map(([k]) => k);
    if (stray.length) throw new UserError(`${stray.join(', ')} only apply to --similar-to`);
    if (o.out === undefined && !o.json) throw new UserError('say where the trend goes: --out trend.svg | trend.json, or --json to print it');
    if (o.out !== undefined && !o.out.endsWith('.svg') && !o.out.endsWith('.json')) throw new UserError(`--out ${o.out}: end the file name with .svg or .json`);
    const penalty = o.penalty === undefined ? undefined : Number(o.penalty);
    if (penalty !== undefined && !(penalty >= 0)) throw new UserError(`--penalty ${o.penalty} is not a non-negative number`);
    const trimmed = trimPartialPeriods(await loadSeries(o));
    const s = trimmed.series;
    const partialNotes = trimmed.leftOut.map((p) => `${periodLabel(p.start, s.unit, s.tz)} covers ${(100 * p.coveredShare).toFixed(0)}% of its ${s.unit}: a partial count, left out`);
    if (s.values.length < 8) throw new UserError(`only ${s.values.length} ${s.unit} periods: trend analysis needs at least 8`);
    const a = analyzeTrend(s.values, s.unit, { robust: o.robust !== false, penalty });
    const labels = Array.from(s.periodStart, (ms) => periodLabel(ms, s.unit, s.tz));
    const summary = {
      out: o.out,
      region: s.region,
      category: s.category,
      unit: s.unit,
      periods: a.n,
      first: labels[0],
      last: labels[a.n - 1],
      seasonalPeriods: a.periods,
      seasonalStrength: a.seasonalStrength,
      trendStrength: a.trendStrength,
      slopePerYear: a.slopePerYear,
      changeCost: a.changeCost,
      changePoints: a.changePoints.map((c) => ({ date: labels[c.index], index: c.index, before: c.before, after: c.after })),
      partialPeriodsLeftOut: partialNotes,
    };
    const title = `${s.region === 'city' ? 'City' : `Region ${s.region}`} · ${s.category} · ${ADJ[s.unit]} counts ${labels[0]} … ${labels[a.n - 1]}`;
    const full = { ...summary, segments: a.segments.map((g) => ({ from: labels[g.start], to: labels[g.end - 1], mean: g.mean })), series: { period: labels, observed: Array.from(a.observed), trend: Array.from(a.trend), seasonal: Array.from(a.seasonal), remainder: Array.from(a.remainder) } };
    if (o.out?.endsWith('.svg')) writeFileSync(o.out, trendSvg(a, labels, title));
    else if (o.out) writeFileSync(o.out, JSON.stringify(full));
    emit(!!o.json, o.out ? summary : full, () => [
      `wrote ${o.out}: ${title}`,
      ...partialNotes.map((n) => `note: ${n}`),
      `seasonal strength ${a.seasonalStrength.map((v, k) => `${a.periods[k]}: ${v.toFixed(2)}`).join(', ') || 'n/a'}; trend slope ${a.slopePerYear.toFixed(2)} per ${s.unit} per year`,
      a.changePoints.length ? `change points: ${summary.changePoints.map((c) => `${c.date} (${c.before.toFixed(2)} → ${c.after.toFixed(2)})`).join('; ')}` : 'no change points',
    ].join('\n'));
  });
}

/** Every region's series (R × n, row-major) from a tensor: categories summed (or one), periods aggregated to `unit`. */
export function regionSeriesMatrix(t: CountTensor, category: string | undefined, unit: PeriodUnit): { values: Float64Array; periodStart: Float64Array; covered: { start: number; end: number } } {
  const { regions: R, categories: C } = t;
  const c = category === undefined ? -1 : t.categoryNames.indexOf(category);
  if (category !== undefined && c < 0) throw new UserError(`category "${category}" is not in the data`, `categories: ${t.categoryNames.slice(0, 20).join(', ')}`);
  const order = ['hour', 'day', 'week', 'month'];
  if (order.indexOf(unit) < order.indexOf(t.unit)) throw new UserError(`cannot analyse ${unit}s from a ${t.unit} tensor`);
  const col = new Int32Array(t.periods), starts: number[] = [];
  for (let p = 0; p < t.periods; p++) {
    const start = unit === t.unit ? t.periodStart[p] : floorToPeriod(t.periodStart[p], unit, t.tz);
    if (!starts.length || starts[starts.length - 1] !== start) starts.push(start);
    col[p] = starts.length - 1;
  }
  const n = starts.length, values = new Float64Array(R * n);
  for (let p = 0; p < t.periods; p++) for (let r = 0; r < R; r++) {
    let v = 0;
    for (let cc = 0; cc < C; cc++) if (c < 0 || cc === c) v += t.data[(p * R + r) * C + cc];
    values[r * n + col[p]] += v;
  }
  return { values, periodStart: Float64Array.from(starts), covered: { start: t.periodStart[0], end: stepPeriod(t.periodStart[t.periods - 1], t.unit, t.tz) } };
}

const SPARK = '▁▂▃▄▅▆▇█';
/** A one-line picture of a series, at most `width` characters (periods averaged into buckets). */
export function sparkline(x: ArrayLike<number>, width = 40): string {
  const n = x.length, k = Math.min(width, n), b: number[] = [];
  for (let i = 0; i < k; i++) {
    const a = Math.floor((i * n) / k), e = Math.floor(((i + 1) * n) / k);
    let s = 0;
    for (let j = a; j < e; j++) s += x[j];
    b.push(s / Math.max(1, e - a));
  }
  const lo = Math.min(...b), hi = Math.max(...b);
  return b.map((v) => SPARK[hi > lo ? Math.min(7, Math.floor(((v - lo) / (hi - lo)) * 8)) : 0]).join('');
}

const PER_YEAR: Record<PeriodUnit, number> = PERIODS_PER_YEAR;
const CYCLE: Record<PeriodUnit, number> = SEASONAL_CYCLE;

async function similarCommand(o: TrendOptions): Promise<void> {
  if (o.region !== undefined || o.city) throw new UserError('--similar-to names the region itself: drop --region/--city');
  if (o.out !== undefined && !o.out.endsWith('.json')) throw new UserError(`--out ${o.out}: --similar-to writes JSON, end the file name with .json`);
  const method = (o.method ?? 'dtw') as SimilarityMethod;
  if (method !== 'dtw' && method !== 'mahalanobis') throw new UserError(`--method must be dtw or mahalanobis, got "${o.method}"`);
  const top = Number(o.top);
  if (!Number.isInteger(top) || top < 1) throw new UserError(`--top must be a positive integer, got "${o.top}"`);
  const window = o.window === undefined ? undefined : Number(o.window);
  if (window !== undefined && !(Number.isInteger(window) && window >= 0)) throw new UserError(`--window must be a whole number of periods ≥ 0, got "${o.window}"`);
  if (window !== undefined && method !== 'dtw') throw new UserError('--window applies to --method dtw');
  const unit = parsePeriodUnit(o.period);
  let tensor: CountTensor;
  if (o.tensor) tensor = readTensorFile(o.tensor);
  else {
    if (!o.units) throw new UserError('--similar-to needs --units (e.g. --units grid:500 or polygons:beats.geojson,id=BEAT) to know the regions, or --tensor');
    const table = await loadCommandIncidents({ ...o, categories: o.category });
    if (table.n === 0) throw new UserError('no incidents match the selection');
    const tz = o.tz ?? table.tz;
    let tMin = Infinity, tMax = -Infinity;
    for (let i = 0; i < table.n; i++) { tMin = Math.min(tMin, table.t[i]); tMax = Math.max(tMax, table.t[i]); }
    const binning = makeBinning({ unit, tz, start: o.from ?? localDate(tMin, tz), end: o.to ?? localDate(tMax, tz) });
    tensor = buildCountTensor(table, buildUnits(o.units, table), binning, { categories: o.category ? [o.category] : undefined }).tensor;
  }
  const target = tensor.regionIds.indexOf(o.similarTo!);
  if (target < 0) throw new UserError(`region "${o.similarTo}" is not among the ${tensor.regions} regions`, `region ids look like ${tensor.regionIds.slice(0, 5).join(', ')}`);
  const m = regionSeriesMatrix(tensor, o.category, unit);
  // partial first/last periods would read as drops: cut them for every region alike
  const probe = trimPartialPeriods({ values: new Float64Array(m.periodStart.length), periodStart: m.periodStart, unit, tz: tensor.tz, region: '', category: '', covered: m.covered });
  const from = m.periodStart.indexOf(probe.series.periodStart[0]), n = probe.series.periodStart.length, N = m.periodStart.length;
  if (n < 8) throw new UserError(`only ${n} whole ${unit} periods: similarity needs at least 8`);
  const values = new Float64Array(tensor.regions * n);
  for (let r = 0; r < tensor.regions; r++) values.set(m.values.subarray(r * N + from, r * N + from + n), r * n);
  let res;
  try {
    res = similarUnits(values, tensor.regions, n, target, { method, top, window, cycle: CYCLE[unit], periodsPerYear: PER_YEAR[unit] });
  } catch (err) {
    throw new UserError(`--similar-to ${o.similarTo}: ${(err as Error).message}`);
  }
  const labels = Array.from(probe.series.periodStart, (ms) => periodLabel(ms, unit, tensor.tz));
  const rowOf = (r: number) => Array.from(values.subarray(r * n, (r + 1) * n));
  const describe = (r: number) => {
    const x = rowOf(r);
    const d = method === 'mahalanobis' ? trendDescriptors(x, PER_YEAR[unit], res.descriptors!.length === 4 ? CYCLE[unit] : 0) : undefined;
    return { region: tensor.regionIds[r], total: x.reduce((a, b) => a + b, 0), ...(d ? { descriptors: Object.fromEntries(res.descriptors!.map((k, i) => [k, d[i]])) } : {}), series: x };
  };
  const result = {
    similarTo: o.similarTo, method, category: o.category ?? 'all', unit, periods: n, first: labels[0], last: labels[n - 1],
    how: method === 'dtw'
      ? `dynamic time warping between z-normalised series (shape, not level), shifts of up to ${res.window} ${unit}s allowed`
      : `Mahalanobis distance between descriptors (${res.descriptors!.join(', ')}), whitened by their covariance over ${tensor.regions - res.constant.length} regions`,
    leftOut: { constantSeries: res.constant.length, note: res.constant.length ? `${res.constant.length} of ${tensor.regions} regions have a constant series (usually no incidents) and were not compared` : null },
    partialPeriodsLeftOut: probe.leftOut.map((p) => `${periodLabel(p.start, unit, tensor.tz)} covers ${(100 * p.coveredShare).toFixed(0)}% of its ${unit}`),
    target: describe(target),
    similar: res.similar.map((s, k) => ({ rank: k + 1, distance: s.distance, correlation: s.correlation, ...describe(s.index) })),
    period: labels,
    out: o.out ?? null,
  };
  if (o.out) writeFileSync(o.out, JSON.stringify(result));
  emit(!!o.json, result, () => [
    `regions most like ${o.similarTo} (${result.category}, ${n} ${unit}s ${labels[0]} … ${labels[n - 1]}): ${result.how}`,
    ...(result.leftOut.note ? [`note: ${result.leftOut.note}`] : []),
    ...result.partialPeriodsLeftOut.map((p) => `note: ${p}: a partial count, left out`),
    `  ${'rank'.padEnd(4)} ${'region'.padEnd(14)} ${'distance'.padStart(9)} ${'corr'.padStart(6)} ${'total'.padStart(7)}  series`,
    `  ${'—'.padEnd(4)} ${String(o.similarTo).padEnd(14)} ${''.padStart(9)} ${''.padStart(6)} ${String(result.target.total).padStart(7)}  ${sparkline(result.target.series)}`,
    ...result.similar.map((s) => `  ${String(s.rank).padEnd(4)} ${s.region.padEnd(14)} ${s.distance.toFixed(3).padStart(9)} ${(Number.isFinite(s.correlation) ? s.correlation.toFixed(2) : '—').padStart(6)} ${String(s.total).padStart(7)}  ${sparkline(s.series)}`),
    ...(o.out ? [`wrote ${o.out} (every listed region's series)`] : ['(--json or --out FILE.json for the full series)']),
  ].join('\n'));
}
