/**
 * Hot spots over windows of periods, NIJ-style: a window's risk is the forecast's expected count summed over its
 * periods; the flagged area is the top-ranked cells whose area is at least `min` and at most `max`, scored by
 * PAI = (n/N)/(a/A) and PEI = n / n*. Windows of each length tile the test span back from its end, consecutive and
 * non-overlapping, each forecast from the periods before it. Cells must have equal area (NIJ's square cells).
 */
import { UserError } from '../../util/errors.js';
import type { BacktestResult } from '../backtest/engine.js';
import { runBacktests } from '../backtest/parallel.js';
import { FieldLayout } from '../protocols/field-layout.js';
import { hotspotFields } from '../protocols/hotspot-fields.js';
import { summarise } from '../protocols/summarise.js';
import type { MetricResult, ModelReport, ProtocolOptions, ProtocolResult } from '../protocols/types.js';
import { isoLocal } from '../../time/bins.js';
import type { SpecData } from './data.js';
import type { BenchmarkSpec } from './schema.js';

type WindowSpec = Extract<BenchmarkSpec, { task: 'hotspot-windows' }>;

const SQ_MI = (5280 * 0.3048) ** 2;
const UNIT_M2 = { 'sq mi': SQ_MI, km2: 1e6 } as const;

/** Cells to flag for area bounds [min, max] m²: the fewest reaching min and the most within max. */
export function flaggedCells(cellArea: number, min: number, max: number, label = 'm²'): { min: number; max: number } {
  const lo = Math.ceil(min / cellArea - 1e-9), hi = Math.floor(max / cellArea + 1e-9);
  if (lo > hi) throw new UserError(`cells of ${cellArea.toFixed(0)} m² cannot make a flagged area between the bounds (${label})`);
  return { min: lo, max: hi };
}

export async function runWindows(spec: WindowSpec, sd: SpecData, models: string[], opts: ProtocolOptions): Promise<ProtocolResult> {
  const { tensor, units } = sd.data;
  if (!units) throw new UserError(`${spec.name}: hotspot-windows needs units`);
  if (opts.external?.length) throw new UserError(`${spec.name}: hotspot-windows specs do not score external forecasts yet`);
  const m = spec.metrics;
  const cellArea = units.area[0];
  if (units.area.some((a) => Math.abs(a - cellArea) > 1e-6 * cellArea)) throw new UserError(`${spec.name}: hotspot-windows needs equal-area cells (a square grid); these units differ in area`);
  const toM2 = UNIT_M2[m.flaggedArea.unit];
  const k = flaggedCells(cellArea, m.flaggedArea.min * toM2, m.flaggedArea.max * toM2, `${m.flaggedArea.min}–${m.flaggedArea.max} ${m.flaggedArea.unit}`);
  const totalArea = units.area.reduce((s, a) => s + a, 0);
  const coverages = [k.min, k.max].map((n) => (n * cellArea) / totalArea);
  const unitLabel = m.flaggedArea.unit.replace(' ', '');
  const labels = [m.flaggedArea.min, m.flaggedArea.max].map((v) => `${v}${unitLabel}`);
  const cats = tensor.categoryNames;
  const groups: Record<string, number[]> = {};
  for (const [name, list] of Object.entries(m.groups)) {
    groups[name] = list.map((c) => {
      const i = cats.indexOf(c);
      if (i < 0) throw new UserError(`${spec.name}: metrics.groups.${name} names "${c}", not one of the categories (${cats.join(', ')})`);
      return i;
    });
  }
  const [testFrom, testEnd] = sd.test;
  const testLen = testEnd - testFrom;
  const C = tensor.categories, RC = tensor.regions * C;
  const merged = new Map<string, Record<string, MetricResult>>();
  let reports: ModelReport[] = [];
  let reference = '';
  const ciNotes = new Set<string>();
  const metricNames: string[] = [];
  const backtests: BacktestResult[] = [];
  const tiling: string[] = [];
  for (const L of m.windowPeriods) {
    const nWin = Math.floor(testLen / L);
    if (nWin < 1) throw new UserError(`${spec.name}: a window of ${L} ${tensor.unit}s does not fit in the ${testLen}-${tensor.unit} test span`);
    tiling.push(`${nWin} × ${L} ${tensor.unit}s`);
    const testStart = testEnd - nWin * L;
    const bts = await runBacktests(sd.data, models, {
      testStart, testEnd, horizon: L, refitEvery: L, seed: opts.seed, workers: opts.workers,
      onModelProgress: (i, done, total) => opts.onProgress?.(`${models[i]} (${L}-${tensor.unit} window)`, done / total),
    });
    backtests.push(...bts);
    const layout = new FieldLayout();
    const prefix = tensor.unit === 'day' && L % 7 === 0 ? `${L / 7}w/` : `${L}${tensor.unit[0]}/`;
    const hot = hotspotFields(layout, C, groups, coverages, units.area, labels, prefix);
    const risk = new Float64Array(RC), obs = new Float64Array(RC);
    const out = summarise(bts, layout.K, (res) => {
      // one row per window: the forecasts and observations summed over its periods
      const flat = new Float64Array(nWin * layout.K);
      for (let w = 0; w < nWin; w++) {
        risk.fill(0); obs.fill(0);
        for (let d = 0; d < L; d++) {
          const p = w * L + d, o = (testStart + p) * RC;
          for (let i = 0; i < RC; i++) { risk[i] += res.mean[p * RC + i]; obs[i] += tensor.data[o + i]; }
        }
        hot.fill(flat.subarray(w * layout.K, (w + 1) * layout.K), risk, obs);
      }
      return flat;
    }, hot.metrics, opts);
    reference = out.reference;
    out.notes.forEach((n) => ciNotes.add(`${L}-${tensor.unit} windows: ${n}`));
    metricNames.push(...hot.metrics.map((x) => x.name));
    for (const r of out.models) merged.set(r.spec, { ...merged.get(r.spec), ...r.metrics });
    reports = out.models.map((r) => ({ ...r, metrics: merged.get(r.spec)! }));
  }
  const firstTest = testEnd - Math.max(...m.windowPeriods.map((L) => Math.floor(testLen / L) * L));
  const day = (p: number) => isoLocal(tensor.periodStart[p], tensor.tz).slice(0, 10);
  const a = (x: number) => (x / toM2).toFixed(3);
  return {
    protocol: spec.name, description: spec.description,
    notes: [
      `${spec.place}: ${tensor.regions} cells of ${Math.sqrt(cellArea).toFixed(2)} m (${(cellArea / 1e6).toFixed(4)} km²); study area A = ${(totalArea / toM2).toFixed(2)} ${m.flaggedArea.unit}.`,
      `Flagged: ${k.min} cells (${a(k.min * cellArea)} ${m.flaggedArea.unit}) and ${k.max} cells (${a(k.max * cellArea)} ${m.flaggedArea.unit}).`,
      `Windows: the last ${tiling.join(' and ')} of the test span (${day(firstTest)}…${day(testEnd - 1)}, ${tensor.tz}), consecutive and non-overlapping, each forecast from the periods before it; risk = expected count summed over the window.`,
      ...sd.notes,
      ...outsideTestNote(sd, testFrom),
      `backtests holds one result per window length × model (${m.windowPeriods[0]}-${tensor.unit} windows first). Bootstrap units are windows.`,
      ...spec.notes,
      ...ciNotes,
    ],
    categories: Object.keys(groups), regionIds: tensor.regionIds,
    testPeriodStart: tensor.periodStart.slice(firstTest, testEnd),
    reference, metricNames, models: reports, backtests,
  };
}

/** Test-span incidents that fell outside the units (a study area from training incidents leaves some out by design). */
function outsideTestNote(sd: SpecData, testFrom: number): string[] {
  const { incidents, incidentRegion, tensor } = sd.data;
  if (!incidents || !incidentRegion) return [];
  const cut = tensor.periodStart[testFrom];
  let n = 0, outside = 0;
  for (let i = 0; i < incidents.n; i++) {
    if (incidents.t[i] < cut) continue;
    n++;
    if (incidentRegion[i] < 0) outside++;
  }
  return [`${outside} of ${n} test-span incidents (${((100 * outside) / Math.max(1, n)).toFixed(1)}%) fell outside the units (cells with no incident before the test): not scored; N counts only incidents inside.`];
}
