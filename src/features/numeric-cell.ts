/**
 * One rule for a numeric cell of a covariate table: blank is missing; a plain decimal number is a value; anything
 * else ("n/a", "12%", "0x1F", "1,234") is unparsable. `Number()` alone would turn blanks into 0 and hex into values,
 * and both readers used to turn the rest into NaN without a word.
 */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export type NumericCell = { kind: 'value'; value: number } | { kind: 'blank' } | { kind: 'unparsable' };

export function numericCell(v: unknown): NumericCell {
  if (v === null || v === undefined) return { kind: 'blank' };
  if (typeof v === 'number') return Number.isFinite(v) ? { kind: 'value', value: v } : { kind: 'unparsable' };
  const s = String(v).trim();
  if (s === '') return { kind: 'blank' };
  if (!DECIMAL.test(s)) return { kind: 'unparsable' };
  const value = Number(s);
  return Number.isFinite(value) ? { kind: 'value', value } : { kind: 'unparsable' };
}

/** Per-column tally of cells that became missing values, with the first few lines of the unparsable ones. */
export interface MissingTally {
  column: string;
  blank: number;
  unparsable: number;
  /** File lines (1-based, header = line 1) of the first unparsable cells. */
  lines: number[];
}

export function tallyLine(t: MissingTally, cell: NumericCell, line: number): void {
  if (cell.kind === 'blank') t.blank++;
  else if (cell.kind === 'unparsable') { t.unparsable++; if (t.lines.length < 5) t.lines.push(line); }
}

export function describeMissing(file: string, tallies: MissingTally[]): string[] {
  return tallies.filter((t) => t.blank + t.unparsable > 0).map((t) =>
    `covariates ${file}: column "${t.column}": ${t.unparsable} value(s) are not numbers${t.lines.length ? ` (lines ${t.lines.join(', ')}${t.unparsable > t.lines.length ? ', …' : ''})` : ''} and ${t.blank} blank — both used as missing`);
}
