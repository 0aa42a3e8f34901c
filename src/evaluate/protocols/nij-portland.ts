/**
 * NIJ Real-Time Crime Forecasting Challenge, Portland calls for service (Aug–Sep 2016 excerpt), NIJ-style:
 * square cells of 600 ft (NIJ allows 62,500–360,000 sq ft per cell), daily bins (the data carry dates only),
 * forecast windows of 1 and 2 weeks at the end of the data, each forecast from the days before it.
 * A window's risk is the forecast's expected count summed over its days; the flagged area is the top-ranked cells
 * whose area is at least 0.25 and at most 0.75 sq mi (NIJ's bounds), scored by PAI = (n/N)/(a/A) and
 * PEI = n / n* (n* the most calls any set of the same number of cells could have caught).
 * Categories: all calls, BURGLARY, STREET CRIMES, MOTOR VEHICLE THEFT.
 * A, the study area, is the area of the cells holding at least one call BEFORE the first test window (the challenge
 * used the Portland city boundary, which is not in the shared data): a study area drawn from the whole two months
 * would use the test windows to choose the cells, a leak. Test calls outside those cells are counted and reported.
 * Windows are consecutive and non-overlapping (default 4 of 7 days and 2 of 14 days, ending with the data), so the
 * bootstrap has a few units to resample; with fewer windows than MIN_BOOTSTRAP_UNITS no CI or p-value is printed.
 */
import { readIncidentFile } from '../../data/ingest/read.js';
import { selectIncidents } from '../../data/incident-table.js';
import { buildGrid } from '../../space/grid.js';
import { buildCountTensor } from '../../tensor/build.js';
import { makeBinning } from '../../time/bins.js';
import { UserError } from '../../util/errors.js';
import type { BacktestResult } from '../backtest/engine.js';
import { runBacktests } from '../backtest/parallel.js';
import { sharedDataPath } from './data-dir.js';
import { FieldLayout } from './field-layout.js';
import { hotspotFields } from './hotspot-fields.js';
import { registerProtocol } from './registry.js';
import { perPeriod, summarise } from './summarise.js';
import type { MetricResult, ModelReport, ProtocolOptions, ProtocolResult } from './types.js';

export const NIJ_PORTLAND_DATA = 'nij-portland-cfs-2016-aug-sep/portland_cfs_2016_08_09.csv';
export const NIJ_CATEGORIES = ['BURGLARY', 'STREET CRIMES', 'MOTOR VEHICLE THEFT', 'OTHER'];
const FT = 0.3048;
const SQ_MI = (5280 * FT) ** 2;

export interface NijOptions extends ProtocolOptions {
  /** Cell side in feet (default 600: 360,000 sq ft, NIJ's largest cell). */
  cellFeet?: number;
  /** Window lengths in days (default 7 and 14). */
  windowDays?: number[];
  /**
   * Consecutive windows per length, counted back from the end of the data (default: as many as fit in the last
   * 28 days — 4 one-week and 2 two-week windows; the challenge scored 1 per length).
   */
  windows?: number;
}

/** Cells to flag for NIJ's area bounds: the fewest reaching 0.25 sq mi and the most within 0.75 sq mi. */
export function nijFlaggedCells(cellArea: number): { min: number; max: number } {
  const min = Math.ceil((0.25 * SQ_MI) / cellArea - 1e-9), max = Math.floor((0.75 * SQ_MI) / cellArea + 1e-9);
  if (min > max) throw new UserError(`cells of ${(cellArea / FT / FT).toFixed(0)} sq ft cannot make a flagged area between 0.25 and 0.75 sq mi`);
  return { min, max };
}

export async function runNijPortland(models: string[], opts: NijOptions = {}): Promise<ProtocolResult> {
  const cellFeet = opts.cellFeet ?? 600;
  const sqft = cellFeet * cellFeet;
  if (sqft < 62_500 || sqft > 360_000) throw new UserError(`NIJ cells must be 62,500–360,000 sq ft; ${cellFeet} ft gives ${sqft}`);
  const { table } = await readIncidentFile(sharedDataPath(NIJ_PORTLAND_DATA, opts.dataDir), { preset: 'nij-portland' });
  const binning = makeBinning({ unit: 'day', tz: table.tz, start: '2016-08-01', end: '2016-09-30' });
  const lengths = opts.windowDays ?? [7, 14];
  const windowsOf = (L: number) => opts.windows ?? Math.max(1, Math.floor(28 / L));
  const firstTest = binning.periods - Math.max(...lengths.map((L) => windowsOf(L) * L));
  if (firstTest < 1) throw new UserError(`the windows (${lengths.map((L) => `${windowsOf(L)} × ${L} days`).join(', ')}) do not fit in ${binning.periods} days`);
  // the study area: cells holding a call before the first test window (training data only)
  const cut = binning.periodStart[firstTest];
  const training = selectIncidents(table, (i) => table.t[i] < cut);
  const units = buildGrid({ cell: cellFeet * FT, points: training, mask: 'incidents' });
  const { tensor, incidentRegion, incidentCategory } = buildCountTensor(table, units, binning, { categories: NIJ_CATEGORIES });
  let testCalls = 0, outside = 0;
  for (let i = 0; i < table.n; i++) {
    if (table.t[i] < cut) continue;
    testCalls++;
    if (incidentRegion[i] < 0) outside++;
  }
  const C = tensor.categories, R = tensor.regions, RC = R * C;
  const cellArea = units.area[0];
  const totalArea = units.area.reduce((s, a) => s + a, 0);
  const k = nijFlaggedCells(cellArea);
  const coverages = [k.min, k.max].map((n) => (n * cellArea) / totalArea);
  const labels = ['0.25sqmi', '0.75sqmi'];
  const groups: Record<string, number[]> = { all: [0, 1, 2, 3], BURGLARY: [0], 'STREET CRIMES': [1], 'MOTOR VEHICLE THEFT': [2] };
  // units travel with the data so kde, hotspot, sepp and graph models can run (they refused: "needs the spatial units")
  const data = { tensor, incidents: table, incidentRegion, incidentCategory, units };
  const merged = new Map<string, Record<string, MetricResult>>();
  let reports: ModelReport[] = [];
  let reference = '';
  const ciNotes = new Set<string>();
  const metricNames: string[] = [];
  const backtests: BacktestResult[] = [];
  for (const L of lengths) {
    const nWin = windowsOf(L);
    const testStart = tensor.periods - nWin * L;
    if (testStart < 1) throw new UserError(`${nWin} windows of ${L} days do not fit in ${tensor.periods} days`);
    const bts = await runBacktests(data, models, {
      testStart, horizon: L, refitEvery: L, seed: opts.seed, workers: opts.workers,
      onModelProgress: (m, done, total) => opts.onProgress?.(`${models[m]} (${L}-day window)`, done / total),
    });
    backtests.push(...bts);
    const layout = new FieldLayout();
    const prefix = L % 7 === 0 ? `${L / 7}w/` : `${L}d/`;
    const hot = hotspotFields(layout, C, groups, coverages, units.area, labels, prefix);
    const risk = new Float64Array(RC), obs = new Float64Array(RC);
    const out = summarise(bts, layout.K, (res) => {
      // one row per window: sum the daily forecasts and observations over its days
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
    out.notes.forEach((n) => ciNotes.add(`${L}-day windows: ${n}`));
    metricNames.push(...hot.metrics.map((m) => m.name));
    for (const r of out.models) merged.set(r.spec, { ...merged.get(r.spec), ...r.metrics });
    reports = out.models.map((r) => ({ ...r, metrics: merged.get(r.spec)! }));
  }
  return {
    protocol: 'nij-portland',
    description: 'NIJ RTCFC Portland calls for service (Aug–Sep 2016): PAI / PEI of 0.25 and 0.75 sq mi hot spots for 1- and 2-week windows',
    notes: [
      `${R} cells of ${cellFeet} ft (${sqft.toLocaleString('en-US')} sq ft) holding at least one call before the first test window (${new Date(cut).toISOString().slice(0, 10)}; training data only); study area A = ${(totalArea / SQ_MI).toFixed(2)} sq mi.`,
      `Flagged: ${k.min} cells (${((k.min * cellArea) / SQ_MI).toFixed(3)} sq mi) and ${k.max} cells (${((k.max * cellArea) / SQ_MI).toFixed(3)} sq mi).`,
      `Windows: the last ${lengths.map((L) => `${windowsOf(L)} × ${L} days`).join(' and ')} of the data (ending 2016-09-30), consecutive and non-overlapping, each forecast from the days before it; risk = expected calls summed over the window.`,
      `${outside} of ${testCalls} test-window calls (${((100 * outside) / Math.max(1, testCalls)).toFixed(1)}%) fell in cells with no call before the first test window: outside the study area, so not scored (N counts only calls inside it).`,
      'Dates only in the data, so periods are days; PEI = n / n* with n* the most calls the same number of cells could catch.',
      `backtests holds one result per window length × model (${lengths[0]}-day windows first). Bootstrap units are windows.`,
      ...ciNotes,
    ],
    categories: ['all', 'BURGLARY', 'STREET CRIMES', 'MOTOR VEHICLE THEFT'], regionIds: tensor.regionIds,
    testPeriodStart: tensor.periodStart.slice(firstTest),
    reference, metricNames, models: reports, backtests,
  };
}

registerProtocol({
  name: 'nij-portland',
  description: 'NIJ Portland calls for service: PAI/PEI per category for 1- and 2-week windows, 600 ft cells',
  run: runNijPortland,
});
