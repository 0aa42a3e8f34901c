/**
 * Point forecasts, one per loss, each the Bayes-optimal summary of the predictive distribution for that loss:
 *
 * | name                | minimises                                  | summary                                              |
 * |---------------------|--------------------------------------------|------------------------------------------------------|
 * | mean                | squared error, Poisson deviance            | E[Y]                                                 |
 * | median              | absolute error (MAE)                       | smallest y with F(y) ≥ ½                             |
 * | positive-median     | masked MAE (cells with y > 0, ST-HSL)      | median of Y given Y ≥ 1 (always ≥ 1)                 |
 * | positive-mape       | masked MAPE  E[|p − y| / y | y > 0]        | weighted median of y ≥ 1 with weights P(y)/y         |
 * | probability         | F1 after thresholding on validation data   | P(Y ≥ 1); threshold from `chooseF1Threshold`         |
 *
 * Derivation for MAPE: E[|p − Y|/Y · 1{Y>0}] = Σ_{y≥1} (P(y)/y)|p − y| is a weighted absolute loss, minimised by
 * any weighted median of the support points; we return the smallest such integer.
 */
import type { Forecast } from '../models/forecaster.js';
import { cellCount, PmfWorkspace, probAtLeastOne } from '../models/distribution.js';
import { thresholdSweep } from './metrics/occurrence.js';

export type PointForecastName = 'mean' | 'median' | 'positive-median' | 'positive-mape' | 'probability';

/** Which point forecast each reported loss uses. */
export const POINT_FORECAST_FOR_LOSS: Readonly<Record<string, PointForecastName>> = {
  rmse: 'mean',
  deviance: 'mean',
  mae: 'median',
  maskedMae: 'positive-median',
  maskedMape: 'positive-mape',
  f1: 'probability',
};

/** Tail probability left out when tabulating a cell's pmf. */
const TAIL = 1e-12;

export function pointMean(f: Forecast): Float32Array {
  return Float32Array.from(f.mean);
}

/** Smallest y in [from, maxY] whose cumulative weight w(y)·p[y] from `from` reaches half the total (maxY if none). */
function weightedMedian(p: Float64Array, maxY: number, from: number, inverseWeight: boolean): number {
  let total = 0;
  for (let y = from; y <= maxY; y++) total += inverseWeight ? p[y] / y : p[y];
  if (!(total > 0)) return from;
  const half = 0.5 * total * (1 - 1e-12); // slack for rounding in the running sum
  let cum = 0;
  for (let y = from; y < maxY; y++) {
    cum += inverseWeight ? p[y] / y : p[y];
    if (cum >= half) return y;
  }
  return maxY;
}

/**
 * Fills any of the three outputs from ONE pmf walk per cell (tabulated to 1 − 1e-12 of the mass).
 * A cell with no mass above zero gets 1 for the positive forecasts: the limit of Y | Y ≥ 1 as the mean → 0.
 */
function fillQuantilePoints(f: Forecast, median: Float32Array | null, posMedian: Float32Array | null, posMape: Float32Array | null): void {
  const n = cellCount(f), ws = new PmfWorkspace();
  for (let i = 0; i < n; i++) {
    const maxY = ws.fill(f, i, TAIL, 1), p = ws.p;
    if (median) median[i] = weightedMedian(p, maxY, 0, false);
    if (posMedian) posMedian[i] = weightedMedian(p, maxY, 1, false);
    if (posMape) posMape[i] = weightedMedian(p, maxY, 1, true);
  }
}

/** Median per cell: the MAE-optimal forecast. */
export function pointMedian(f: Forecast): Float32Array {
  const out = new Float32Array(cellCount(f));
  fillQuantilePoints(f, out, null, null);
  return out;
}

/** Median of Y given Y ≥ 1: the masked-MAE-optimal forecast (always ≥ 1). */
export function pointPositiveMedian(f: Forecast): Float32Array {
  const out = new Float32Array(cellCount(f));
  fillQuantilePoints(f, null, out, null);
  return out;
}

/** Minimiser of E[|p − Y| / Y | Y > 0]: weighted median with weights P(y)/y over y ≥ 1. */
export function pointPositiveMape(f: Forecast): Float32Array {
  const out = new Float32Array(cellCount(f));
  fillQuantilePoints(f, null, null, out);
  return out;
}

export function pointProbability(f: Forecast): Float32Array {
  return probAtLeastOne(f);
}

/** The loss-optimal point forecasts of the count metrics (MAE, masked MAE, masked MAPE) from one pmf walk per cell. */
export interface LossOptimalPoints {
  median: Float32Array;
  positiveMedian: Float32Array;
  positiveMape: Float32Array;
}

export function lossOptimalPoints(f: Forecast): LossOptimalPoints {
  const n = cellCount(f);
  const median = new Float32Array(n), positiveMedian = new Float32Array(n), positiveMape = new Float32Array(n);
  fillQuantilePoints(f, median, positiveMedian, positiveMape);
  return { median, positiveMedian, positiveMape };
}

/** Every named point forecast of a forecast. */
export function pointForecasts(f: Forecast): Record<PointForecastName, Float32Array> {
  const n = cellCount(f);
  const median = new Float32Array(n), posMedian = new Float32Array(n), posMape = new Float32Array(n);
  fillQuantilePoints(f, median, posMedian, posMape);
  return { mean: pointMean(f), median, 'positive-median': posMedian, 'positive-mape': posMape, probability: pointProbability(f) };
}

export interface F1Threshold {
  /** Predict "≥ 1 event" when the probability is ≥ threshold (Infinity: never). */
  threshold: number;
  /** F1 this threshold achieves on the validation data. */
  f1: number;
}

/**
 * The threshold on P(≥1) that maximises F1 on VALIDATION data (never choose it on the test set).
 * Candidates are the distinct validation probabilities; ties in F1 keep the highest threshold.
 * With no positive validation cells every threshold scores F1 = 0 and the answer is Infinity (predict none).
 */
export function chooseF1Threshold(pValidation: ArrayLike<number>, yValidation: ArrayLike<number>): F1Threshold {
  const sweep = thresholdSweep(pValidation, yValidation);
  let best: F1Threshold = { threshold: Infinity, f1: 0 };
  if (sweep.positives === 0) return best;
  for (let j = 0; j < sweep.thresholds.length; j++) {
    const f1 = (2 * sweep.tp[j]) / (sweep.tp[j] + sweep.fp[j] + sweep.positives);
    if (f1 > best.f1) best = { threshold: sweep.thresholds[j], f1 };
  }
  return best;
}

/** 1 where value ≥ threshold, else 0. */
export function binarize(values: ArrayLike<number>, threshold: number): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i] >= threshold ? 1 : 0;
  return out;
}
