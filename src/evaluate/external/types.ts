/**
 * Forecasts made outside CrimeCast (a vendor's boxes, a paper's model, a colleague's spreadsheet) scored as named
 * rows of a backtest. What a file can be scored on depends on what it holds: a count forecast gets every point
 * metric, a ranking or box forecast only hit rate / PAI / PEI.
 */
import type { CountTensor } from '../../tensor/count-tensor.js';
import type { SpatialUnits } from '../../space/units.js';

/**
 * count: expected counts per cell; probability: P(≥1 event) per cell; boxes: flagged polygons per period (no
 * values); ranking: a rank per cell.
 */
export type ExternalKind = 'count' | 'probability' | 'boxes' | 'ranking';

/** What to do with (unit, period) cells the file has no value for. Default: refuse. */
export type MissingPolicy = 'refuse' | 'zero' | 'skip';

/** How a count file's negative values are taken (deep models emit small negatives). Default: refuse. */
export type NegativePolicy = 'refuse' | 'keep' | 'clip';

/** `--external NAME=FILE[,negative=keep|clip][,layout=…]`. */
export interface ExternalSpec {
  name: string;
  file: string;
  negative?: NegativePolicy;
  /** .npy only: 'grid' (rows, cols, periods, categories) as ST-HSL / ST-SHN, or 'tensor' (periods, regions, categories). */
  layout?: 'grid' | 'tensor';
}

/** The mark an external row carries everywhere it is shown (CLI table, JSON, report). */
export interface ExternalMark {
  file: string;
  sha256: string;
  kind: ExternalKind;
  /** What was done to the file's values, with shares (shown in the run's notes). */
  notes: string[];
  /** Test-period offsets the file lacks, dropped from every row under --external-missing skip. */
  skippedPeriods?: number[];
}

/** What a loader needs from the run: the tensor (ids, periods, categories), units and the test span. */
export interface ExternalContext {
  tensor: CountTensor;
  units?: SpatialUnits;
  testStart: number;
  testEnd: number;
  missing: MissingPolicy;
}

/** A loaded file before scoring: one value per test cell, [period - testStart][region][category]. */
export interface ExternalValues {
  kind: ExternalKind;
  values: Float32Array;
  /** 1 where the file gave the cell (long tables and boxes); absent: every cell given. */
  given?: Uint8Array;
  notes: string[];
}
