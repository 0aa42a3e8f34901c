/** CSV files of a trial: the assignment written at design time and the outcomes read at analysis time. */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { UserError } from '../../util/errors.js';
import type { RandomisationScheme, RctDesign } from './design.js';

const SCHEMES: RandomisationScheme[] = ['simple', 'complete', 'blocked', 'stratified'];

export function assignmentCsv(units: string[], baseline: ArrayLike<number>, d: RctDesign): string {
  const lines = ['unit,baseline,block,treated,scheme,p_treat'];
  units.forEach((u, i) => lines.push(`${u},${baseline[i]},${d.block[i]},${d.assignment[i]},${d.scheme},${d.pTreat}`));
  return lines.join('\n') + '\n';
}

function rows(path: string): Record<string, string>[] {
  try {
    return parse(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  } catch (err) {
    throw new UserError(`cannot read ${path}: ${(err as Error).message}`);
  }
}

function need(r: Record<string, string>, col: string, path: string): number {
  const v = Number(r[col]);
  if (r[col] === undefined || !Number.isFinite(v)) throw new UserError(`${path}: column "${col}" missing or not a number (row for unit ${r.unit})`);
  return v;
}

export function readAssignmentCsv(path: string): { units: string[]; baseline: Float64Array; design: RctDesign } {
  const rs = rows(path);
  if (rs.length === 0) throw new UserError(`${path} has no rows`);
  const scheme = rs[0].scheme as RandomisationScheme;
  if (!SCHEMES.includes(scheme)) throw new UserError(`${path}: unknown scheme "${rs[0].scheme}"`);
  return {
    units: rs.map((r) => r.unit),
    baseline: Float64Array.from(rs, (r) => need(r, 'baseline', path)),
    design: {
      scheme, pTreat: need(rs[0], 'p_treat', path),
      block: Int32Array.from(rs, (r) => need(r, 'block', path)),
      assignment: Uint8Array.from(rs, (r) => (need(r, 'treated', path) ? 1 : 0)),
    },
  };
}

/** Outcomes (and optional exposure) aligned with the assignment's units. */
export function readOutcomesCsv(path: string, units: string[]): { y: Float64Array; exposure?: Float64Array } {
  const rs = rows(path);
  const byUnit = new Map(rs.map((r) => [r.unit, r]));
  const y = new Float64Array(units.length);
  const hasExposure = rs.length > 0 && 'exposure' in rs[0];
  const exposure = hasExposure ? new Float64Array(units.length) : undefined;
  units.forEach((u, i) => {
    const r = byUnit.get(u);
    if (!r) throw new UserError(`${path}: no outcome for unit ${u}`);
    y[i] = need(r, 'outcome', path);
    if (exposure) exposure[i] = need(r, 'exposure', path);
  });
  return { y, exposure };
}
