/**
 * Assumptions of the patrol simulator, all explicit:
 * - The real daily counts are the counterfactual "no patrol" crime in every cell.
 * - A patrol in a cell prevents each of its crimes independently with probability `deterrence`.
 * - Each prevented crime is displaced with probability `displacement` to a uniformly chosen adjacent cell
 *   (queen adjacency), where it happens regardless of patrols there (no second deterrence).
 * - Crime is reported with probability `reportRate` everywhere; a patrolled cell also detects unreported crime,
 *   so there it is observed with probability max(reportRate, `patrolDetectRate`).
 * - `observe: 'all'`: policies see every cell's reported crime (full information, the realistic case for
 *   recorded crime); `'patrolled'`: only the patrolled cells (a semi-bandit: patrol-detected crime only).
 */
export interface SimulatorConfig {
  /** Patrols per day (cells patrolled). */
  k: number;
  deterrence: number;
  displacement: number;
  reportRate: number;
  patrolDetectRate: number;
  observe: 'all' | 'patrolled';
  /** First simulated day (index into the tensor); every earlier day is unpatrolled history. */
  startDay: number;
  days: number;
  seed: number;
}

export const DEFAULT_SIMULATOR_CONFIG: Omit<SimulatorConfig, 'startDay' | 'days'> = {
  k: 10, deterrence: 0.3, displacement: 0.2, reportRate: 1, patrolDetectRate: 1, observe: 'all', seed: 1,
};
