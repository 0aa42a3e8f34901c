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
 * Windows are consecutive and non-overlapping (4 of 7 days and 2 of 14 days, ending with the data), so the
 * bootstrap has a few units to resample; with fewer windows than MIN_BOOTSTRAP_UNITS no CI or p-value is printed.
 * The protocol is the spec file protocols/nij-portland.json (task hotspot-windows).
 */
import { flaggedCells } from '../spec/run-windows.js';
import { loadShippedSpec, registerShippedSpec } from '../spec/shipped.js';
import { runSpec } from '../spec/run.js';
import type { ProtocolOptions, ProtocolResult } from './types.js';

export const NIJ_PORTLAND_DATA = 'nij-portland-cfs-2016-aug-sep/portland_cfs_2016_08_09.csv';
export const NIJ_CATEGORIES = ['BURGLARY', 'STREET CRIMES', 'MOTOR VEHICLE THEFT', 'OTHER'];
const FT = 0.3048;
const SQ_MI = (5280 * FT) ** 2;

/** Cells to flag for NIJ's area bounds: the fewest reaching 0.25 sq mi and the most within 0.75 sq mi. */
export function nijFlaggedCells(cellArea: number): { min: number; max: number } {
  return flaggedCells(cellArea, 0.25 * SQ_MI, 0.75 * SQ_MI, '0.25–0.75 sq mi');
}

export function runNijPortland(models: string[], opts: ProtocolOptions = {}): Promise<ProtocolResult> {
  return runSpec(loadShippedSpec('nij-portland'), models, opts);
}

registerShippedSpec('nij-portland');
