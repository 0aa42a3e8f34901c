/**
 * What a search scores against, as plain JSON so a queue-backed executor can ship it to remote workers: the
 * protocol whose data is used, and how validation is scored. Validation periods are the last
 * `validationPeriods` periods before the protocol's first test period (for ST-HSL / ST-SHN by default its
 * 30-day `val` split), so no trial ever fits on or forecasts a test period.
 */
import type { BacktestData } from '../backtest/engine.js';
import { loadStshnData } from '../protocols/stshn-data.js';
import { UserError } from '../../util/errors.js';
import type { ValidationMetric } from './validation-score.js';

/** Protocols whose data and splits a search can load (their test period is a fixed span at the end). */
export const TUNABLE_PROTOCOLS = ['st-hsl', 'st-shn'] as const;
export type TunableProtocol = (typeof TUNABLE_PROTOCOLS)[number];

export interface ValidationTask {
  protocol: TunableProtocol;
  dataDir?: string;
  /** Model specs the data must serve (decides whether incidents and units are loaded). */
  models: string[];
  /** Default: the protocol's validation split. */
  validationPeriods?: number;
  metric: ValidationMetric;
  refitEvery: number;
  seed: number;
}

export interface ValidationData {
  data: BacktestData;
  /** First test period: validation is [valEnd − validationPeriods, valEnd). */
  valEnd: number;
  testEnd: number;
  validationPeriods: number;
}

/** Occurrence protocols are scored on P(≥1), count protocols on the whole distribution. */
export function defaultMetric(protocol: TunableProtocol): ValidationMetric {
  return protocol === 'st-shn' ? 'brier' : 'logscore';
}

export function checkTunableProtocol(name: string): TunableProtocol {
  if (!(TUNABLE_PROTOCOLS as readonly string[]).includes(name)) {
    throw new UserError(`tuning supports the protocols ${TUNABLE_PROTOCOLS.join(', ')} (fixed test span with validation days before it), got "${name}"`);
  }
  return name as TunableProtocol;
}

export async function loadValidationData(task: ValidationTask): Promise<ValidationData> {
  const { data, splits } = await loadStshnData(task.models, task.dataDir);
  const [valEnd, testEnd] = splits.tst;
  const V = task.validationPeriods ?? splits.val[1] - splits.val[0];
  if (!(Number.isInteger(V) && V >= 1 && V < valEnd)) {
    throw new UserError(`--validation must be an integer in [1, ${valEnd - 1}] (periods before the first test period), got ${V}`);
  }
  return { data, valEnd, testEnd, validationPeriods: V };
}
