/** Occurrence thresholds chosen on validation periods only (CrimeForecaster-style protocols with --threshold validation). */
import { columnConfusionPeriod, categoryMacroF1, columnF1 } from '../metrics/occurrence.js';

const GRID = Array.from({ length: 19 }, (_, i) => +(0.05 * (i + 1)).toFixed(2));

/**
 * Thresholds that maximise macro (per-category) and micro F1 over the validation periods of a backtest (grid
 * 0.05 … 0.95; ties go to the threshold nearest 0.5). Only periods before the test span are looked at.
 */
export function tuneThresholds(pAny: Float32Array, observed: Float32Array, periods: number, RC: number, C = 1): { macro: number; micro: number } {
  let best = { macro: 0.5, micro: 0.5 }, bestMacro = -1, bestMicro = -1;
  for (const t of GRID) {
    const conf = { tp: new Float64Array(RC), fp: new Float64Array(RC), fn: new Float64Array(RC) };
    for (let p = 0; p < periods; p++) columnConfusionPeriod(pAny.subarray(p * RC, (p + 1) * RC), observed.subarray(p * RC, (p + 1) * RC), t, conf);
    const f = { macroF1: categoryMacroF1(conf, C), microF1: columnF1(conf).microF1 };
    const closer = (old: number) => Math.abs(t - 0.5) < Math.abs(old - 0.5);
    if (f.macroF1 > bestMacro + 1e-12 || (Math.abs(f.macroF1 - bestMacro) <= 1e-12 && closer(best.macro))) { bestMacro = f.macroF1; best = { ...best, macro: t }; }
    if (f.microF1 > bestMicro + 1e-12 || (Math.abs(f.microF1 - bestMicro) <= 1e-12 && closer(best.micro))) { bestMicro = f.microF1; best = { ...best, micro: t }; }
  }
  return best;
}
