/**
 * A long CSV / Parquet forecast: one row per (unit, period[, category]) with a value. Units by id, polygon name
 * or a point inside (keys.ts); periods by start in the run's time zone. A `value` column (also `count`, `mean`,
 * `forecast`, `expected`) makes a count forecast; a `rank` column (1 = highest risk) a ranking, scored only on
 * hot-spot metrics. Every row must resolve: an unknown unit, a bad period, a duplicate key or a bad value stops
 * the load with the file and line — a partial file never yields a partial score.
 */
import { UserError } from '../../util/errors.js';
import { categoryResolver, findUnitKey, periodResolver, unitResolver } from './keys.js';
import { readTableRows } from './table-rows.js';
import { applyNegativePolicy } from './values-check.js';
import type { ExternalContext, ExternalSpec, ExternalValues } from './types.js';

const VALUE = /^(value|count|mean|forecast|expected|prediction)$/i;
const RANK = /^rank$/i;
const PROB = /^(p_?any|prob|probability|p_?at_?least_?one)$/i;
const PERIOD = /^(period|period_?start|date|start|time|day)$/i;
const CATEGORY = /^(category|type|crime_?type|offense)$/i;

export async function loadLongTable(spec: ExternalSpec, ctx: ExternalContext): Promise<ExternalValues> {
  const { tensor, testStart, testEnd } = ctx;
  const file = spec.file;
  const { header, rows, lineWord } = await readTableRows(file);
  const col = (re: RegExp) => header.findIndex((h) => re.test(h));
  const valueCol = col(VALUE), rankCol = col(RANK), probCol = col(PROB), periodCol = col(PERIOD), catCol = col(CATEGORY);
  const kinds = [valueCol, rankCol, probCol].filter((c) => c >= 0).length;
  if (kinds === 0) throw new UserError(`${file}: no value column (header: ${header.join(', ')})`, 'add a column "value" (expected count), "p_any" (probability of at least one event) or "rank" (1 = highest risk)');
  if (kinds > 1) throw new UserError(`${file}: has more than one of the value, p_any and rank columns`, 'keep one: "value" for a count forecast, "p_any" for a probability, "rank" for a ranking');
  if (periodCol < 0) throw new UserError(`${file}: no period column (header: ${header.join(', ')})`, `add a column "period" with each period's start (YYYY-MM-DD in ${tensor.tz})`);
  const C = tensor.categories, R = tensor.regions, RC = R * C, T = testEnd - testStart;
  if (catCol < 0 && C > 1) {
    throw new UserError(`${file}: no category column, but this run forecasts ${C} categories (${tensor.categoryNames.join(', ')})`, 'add a column "category", or run the backtest for one category (--categories)');
  }
  const kind = valueCol >= 0 ? 'count' as const : probCol >= 0 ? 'probability' as const : 'ranking' as const;
  const vCol = valueCol >= 0 ? valueCol : probCol >= 0 ? probCol : rankCol;
  const key = findUnitKey(header, file);
  const unitOf = unitResolver(key, tensor, ctx.units, file);
  const periods = periodResolver(tensor, testStart, testEnd);
  const catOf = categoryResolver(tensor);
  const values = new Float32Array(T * RC), given = new Uint8Array(T * RC), lineOf = new Int32Array(T * RC);
  const keyText = (f: string[]) => (key.by === 'point' ? `${f[key.lat]},${f[key.lon]}` : f[key.column]);
  for (const { line, fields: f } of rows) {
    const at = `${file} ${lineWord} ${line}`;
    if (f.length < header.length) throw new UserError(`${at}: ${f.length} fields, the header has ${header.length}`, 'give every row all the header\'s columns');
    const r = unitOf(f);
    if (r < 0) {
      const how = key.by === 'id' ? 'unit id' : key.by === 'name' ? 'polygon name' : 'point (inside no unit)';
      throw new UserError(`${at}: unknown ${how} "${keyText(f)}"`, `use the run's units (e.g. ${tensor.regionIds.slice(0, 3).join(', ')}); \`crimecast grid\` writes them with ids and names`);
    }
    const per = periods.resolve(f[periodCol]);
    if ('error' in per) throw new UserError(`${at}: ${per.error}`, per.fix);
    let c = 0;
    if (catCol >= 0) {
      c = catOf(f[catCol]);
      if (c < 0) throw new UserError(`${at}: unknown category "${f[catCol]}"`, `use one of ${tensor.categoryNames.join(', ')}`);
    }
    const text = f[vCol].trim();
    const v = text === '' ? NaN : Number(text);
    if (!Number.isFinite(v)) throw new UserError(`${at}: ${header[vCol]} "${f[vCol]}" is not a number`, 'give a finite number in every row (leave the row out instead, and choose --external-missing)');
    if (kind === 'ranking' && !(v >= 1)) throw new UserError(`${at}: rank ${v} is below 1`, 'rank 1 is the highest-risk unit');
    if (kind === 'probability' && !(v >= 0 && v <= 1)) throw new UserError(`${at}: probability ${v} is outside [0, 1]`, 'p_any is the probability of at least one event in the cell');
    const i = (per.p * R + r) * C + c;
    if (given[i]) throw new UserError(`${at}: duplicate row for unit ${tensor.regionIds[r]}, period ${f[periodCol]}${C > 1 ? `, ${tensor.categoryNames[c]}` : ''} (first on ${lineWord} ${lineOf[i]})`, 'give one row per (unit, period, category)');
    given[i] = 1; lineOf[i] = line; values[i] = kind === 'ranking' ? 1 / v : v;
  }
  if (rows.length === 0) throw new UserError(`${file}: no rows after the header`);
  const notes = [`long table keyed by ${key.by === 'point' ? 'a point inside each unit' : key.by === 'name' ? 'polygon name' : 'unit id'}, ${rows.length} rows`];
  if (kind === 'count') notes.push(...applyNegativePolicy(values, spec, (i) => `${lineWord} ${lineOf[i]}`));
  else if (kind === 'probability') notes.push('P(≥1) per cell: scored on the Brier and binary log scores and on hot-spot metrics (units ranked by P(≥1)); no count metrics');
  else notes.push('ranking: scored on hot-spot metrics only (risk = 1 / rank; unlisted units rank below every listed one, ties split in expectation)');
  return { kind, values, given: kind === 'ranking' ? undefined : given, notes };
}
