/**
 * Time-varying covariates from a long table — `date[,key],value…` rows, e.g. daily weather (city-wide, no key)
 * or monthly unemployment per area — aligned with a tensor's periods.
 *
 * As-of semantics: a row's date is when its values became known. Rows falling in one period are averaged
 * (daily weather → weekly means); a period with no row carries the last earlier value forward, never a later
 * one, so nothing leaks backwards in time. Models use the values lagged (feature `timeLag`, default 1 period).
 * Rows with a bad date or key are reported by line and reason, never silently dropped.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { TimeCovariates } from '../models/forecaster.js';
import type { CountTensor } from '../tensor/count-tensor.js';
import { localDateToUtc, stepPeriod } from '../time/bins.js';
import { numericCell } from './numeric-cell.js';
import { UserError } from '../util/errors.js';

export interface TimeCovariateSpec {
  path: string;
  /** Date column (YYYY-MM-DD, YYYY-MM, or an ISO timestamp). */
  date: string;
  /** Region key column; absent = one city-wide series. */
  key?: string;
  /** Value columns (default: every other column with numbers in it). */
  columns?: string[];
}

export interface TimeCovariateReport {
  rows: number;
  /** Rows after the last period (rows before the first one only set the value the first period starts from). */
  outside: number;
  /** Rows whose key matches no region. */
  unmatched: number;
  /** Malformed rows (line numbers are 1-based file lines, the header being line 1). */
  bad: { line: number; reason: string }[];
  badCount: number;
  /** Blank value cells (missing: the value carries forward from earlier rows). */
  blank: number;
}

/** "FILE,date=COL[,key=COL][,columns=a;b]" → spec. */
export function parseTimeCovariateSpec(text: string): TimeCovariateSpec {
  const [path, ...parts] = text.split(',');
  const o: Record<string, string> = {};
  for (const p of parts) {
    const eq = p.indexOf('=');
    if (eq < 0) throw new UserError(`time covariates "${text}": expected name=value after the file, got "${p}"`, 'e.g. weather.csv,date=DATE,columns=TMAX;PRCP');
    o[p.slice(0, eq).trim()] = p.slice(eq + 1).trim();
  }
  for (const k of Object.keys(o)) if (!['date', 'key', 'columns'].includes(k)) throw new UserError(`time covariates "${text}": unknown option "${k}" (allowed: date, key, columns)`);
  if (!path.trim()) throw new UserError(`time covariates "${text}": no file`);
  return { path: path.trim(), date: o.date ?? 'date', key: o.key, columns: o.columns?.split(';').map((s) => s.trim()).filter(Boolean) };
}

function parseWhen(s: string, tz: string): number {
  const v = s.trim();
  if (/^\d{4}-\d{2}$/.test(v)) return localDateToUtc(`${v}-01`, tz);
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return localDateToUtc(v, tz);
  const t = Date.parse(v);
  if (!Number.isFinite(t)) throw new Error(`bad date "${v.length > 30 ? v.slice(0, 30) + '…' : v}"`);
  return t;
}

function normKey(v: unknown): string {
  const s = String(v ?? '').trim();
  return /^\d+$/.test(s) ? String(Number(s)) : s.toUpperCase();
}

export function loadTimeCovariates(
  spec: TimeCovariateSpec, tensor: Pick<CountTensor, 'periods' | 'periodStart' | 'unit' | 'tz' | 'regionIds'>,
): { timeCovariates: TimeCovariates; report: TimeCovariateReport } {
  const text = readFileSync(spec.path, 'utf8').replace(/^\uFEFF/, '');
  const rows = parse(text, { columns: (h: string[]) => h.map((s) => s.trim()), skip_empty_lines: true }) as Record<string, string>[];
  if (rows.length === 0) throw new UserError(`${spec.path}: no rows`);
  const cols = Object.keys(rows[0]);
  for (const c of [spec.date, ...(spec.key ? [spec.key] : []), ...(spec.columns ?? [])]) {
    if (!cols.includes(c)) throw new UserError(`${spec.path}: no column "${c}" (columns: ${cols.join(', ')})`);
  }
  const names = spec.columns ?? cols.filter((c) => c !== spec.date && c !== spec.key && rows.some((r) => numericCell(r[c]).kind === 'value'));
  if (names.length === 0) throw new UserError(`${spec.path}: no numeric value columns`);
  const P = tensor.periods, k = names.length;
  const perRegion = spec.key !== undefined;
  const R = perRegion ? tensor.regionIds.length : 1;
  const regionOf = new Map(tensor.regionIds.map((id, i) => [normKey(id), i]));
  const end = P > 0 ? stepPeriod(tensor.periodStart[P - 1], tensor.unit, tensor.tz) : -Infinity;
  const sum = new Float64Array(P * R * k), cnt = new Uint32Array(P * R * k);
  // the latest value known before the first period (as-of carry-in), per region and column
  const before = new Float64Array(R * k).fill(NaN), beforeAt = new Float64Array(R * k).fill(-Infinity);
  const report: TimeCovariateReport = { rows: rows.length, outside: 0, unmatched: 0, bad: [], badCount: 0, blank: 0 };
  const bad = (line: number, reason: string) => { report.badCount++; if (report.bad.length < 50) report.bad.push({ line, reason }); };
  rows.forEach((row, i) => {
    const line = i + 2;
    let t: number;
    try { t = parseWhen(row[spec.date] ?? '', tensor.tz); } catch (e) { bad(line, `${spec.date}: ${(e as Error).message}`); return; }
    if (t >= end) { report.outside++; return; }
    const early = t < tensor.periodStart[0];
    let lo = 0, hi = P - 1;
    while (lo < hi) { const m = (lo + hi + 1) >> 1; if (tensor.periodStart[m] <= t) lo = m; else hi = m - 1; }
    let r = 0;
    if (perRegion) {
      const found = regionOf.get(normKey(row[spec.key!]));
      if (found === undefined) { report.unmatched++; return; }
      r = found;
    }
    names.forEach((c, j) => {
      const cell = numericCell(row[c]);
      if (cell.kind === 'blank') { report.blank++; return; }
      if (cell.kind === 'unparsable') { bad(line, `${c}: not a number`); return; }
      const v = cell.value;
      if (early) {
        if (t >= beforeAt[r * k + j]) { beforeAt[r * k + j] = t; before[r * k + j] = v; }
        return;
      }
      const o = (lo * R + r) * k + j;
      sum[o] += v; cnt[o]++;
    });
  });
  const values = new Float64Array(P * R * k).fill(NaN);
  for (let r = 0; r < R; r++) for (let j = 0; j < k; j++) {
    let last = before[r * k + j];
    for (let p = 0; p < P; p++) {
      const o = (p * R + r) * k + j;
      if (cnt[o] > 0) last = sum[o] / cnt[o];
      values[o] = last;
    }
  }
  return { timeCovariates: { names, perRegion, values, periods: P }, report };
}

/** Value of covariate j for region r at period p (NaN when unknown). */
export function timeCovariateAt(tc: TimeCovariates, regions: number, p: number, r: number, j: number): number {
  if (p < 0 || p >= tc.periods) return NaN;
  const k = tc.names.length;
  return tc.values[(p * (tc.perRegion ? regions : 1) + (tc.perRegion ? r : 0)) * k + j];
}
