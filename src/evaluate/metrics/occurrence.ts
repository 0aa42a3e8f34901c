/**
 * Occurrence metrics: did at least one event happen in a cell? Observed positive ⇔ y ≥ 1 (y > 0.5 on float input).
 * Predictions are scores (probabilities or 0/1); predicted positive ⇔ score ≥ threshold.
 *
 * Definitions used here (state them: the literature disagrees on the names):
 * - per-category precision = TP/(TP+FP), recall = TP/(TP+FN), F1 = 2TP/(2TP+FP+FN); 0 when the denominator is 0
 *   (sklearn's zero_division = 0).
 * - microF1 = F1 of TP, FP, FN pooled over all categories (sklearn "micro").
 * - macroF1 = unweighted mean of the per-category F1 (sklearn "macro").
 * The ST-SHN and AGL-STAN code call the mean of per-category F1 "micro" and the pooled one "macro";
 * `paperMicroF1` / `paperMacroF1` give those names so tables can be put beside the papers.
 *
 * Layout: flat arrays like a CountTensor slice; element i belongs to category i % categories.
 */

/** Per-category confusion counts. Additive over periods: sum the arrays field by field. */
export interface ConfusionSums {
  tp: Float64Array;
  fp: Float64Array;
  fn: Float64Array;
  tn: Float64Array;
}

export function emptyConfusion(categories: number): ConfusionSums {
  return { tp: new Float64Array(categories), fp: new Float64Array(categories), fn: new Float64Array(categories), tn: new Float64Array(categories) };
}

/**
 * Per-period form: adds one period's confusion counts per category into `into` (created when absent).
 * `pred` and `observed` cover the same cells (any multiple of `categories`).
 */
export function confusionPeriod(
  pred: ArrayLike<number>, observed: ArrayLike<number>, categories: number, threshold = 0.5, into = emptyConfusion(categories),
): ConfusionSums {
  if (pred.length !== observed.length) throw new RangeError('confusionPeriod: length mismatch');
  for (let i = 0; i < pred.length; i++) {
    const c = i % categories, p = pred[i] >= threshold, o = observed[i] > 0.5;
    if (p) { if (o) into.tp[c]++; else into.fp[c]++; }
    else if (o) into.fn[c]++; else into.tn[c]++;
  }
  return into;
}

export function addConfusion(into: ConfusionSums, from: ConfusionSums): ConfusionSums {
  for (let c = 0; c < into.tp.length; c++) {
    into.tp[c] += from.tp[c]; into.fp[c] += from.fp[c]; into.fn[c] += from.fn[c]; into.tn[c] += from.tn[c];
  }
  return into;
}

function safeDiv(a: number, b: number): number {
  return b > 0 ? a / b : 0;
}

export interface F1Report {
  precision: Float64Array;
  recall: Float64Array;
  f1: Float64Array;
  /** Pooled TP/FP/FN over categories. */
  microF1: number;
  /** Mean of per-category F1. */
  macroF1: number;
  /** What ST-SHN / AGL-STAN code calls "micro" (= macroF1 here). */
  paperMicroF1: number;
  /** What ST-SHN / AGL-STAN code calls "macro" (= microF1 here). */
  paperMacroF1: number;
}

export function f1FromConfusion(s: ConfusionSums): F1Report {
  const C = s.tp.length;
  const precision = new Float64Array(C), recall = new Float64Array(C), f1 = new Float64Array(C);
  let tp = 0, fp = 0, fn = 0, sumF1 = 0;
  for (let c = 0; c < C; c++) {
    precision[c] = safeDiv(s.tp[c], s.tp[c] + s.fp[c]);
    recall[c] = safeDiv(s.tp[c], s.tp[c] + s.fn[c]);
    f1[c] = safeDiv(2 * s.tp[c], 2 * s.tp[c] + s.fp[c] + s.fn[c]);
    tp += s.tp[c]; fp += s.fp[c]; fn += s.fn[c]; sumF1 += f1[c];
  }
  const microF1 = safeDiv(2 * tp, 2 * tp + fp + fn), macroF1 = C > 0 ? sumF1 / C : 0;
  return { precision, recall, f1, microF1, macroF1, paperMicroF1: macroF1, paperMacroF1: microF1 };
}

/** Whole-array convenience: F1 report of thresholded scores against counts. */
export function f1Scores(pred: ArrayLike<number>, observed: ArrayLike<number>, categories: number, threshold = 0.5): F1Report {
  return f1FromConfusion(confusionPeriod(pred, observed, categories, threshold));
}

// ------------------------------------------------------------------------------------------------ column F1

/**
 * F1 over columns, as CrimeForecaster evaluates: each (region, category) cell of a period slice is a column,
 * periods are rows. Accumulate per-column TP/FP/FN (arrays of the slice's length) with `columnConfusionPeriod`.
 */
export interface ColumnConfusion {
  tp: Float64Array;
  fp: Float64Array;
  fn: Float64Array;
}

export function columnConfusionPeriod(
  pred: ArrayLike<number>, observed: ArrayLike<number>, threshold = 0.5,
  into: ColumnConfusion = { tp: new Float64Array(pred.length), fp: new Float64Array(pred.length), fn: new Float64Array(pred.length) },
): ColumnConfusion {
  if (pred.length !== observed.length || into.tp.length !== pred.length) throw new RangeError('columnConfusionPeriod: length mismatch');
  for (let i = 0; i < pred.length; i++) {
    const p = pred[i] >= threshold, o = observed[i] > 0.5;
    if (p && o) into.tp[i]++; else if (p) into.fp[i]++; else if (o) into.fn[i]++;
  }
  return into;
}

/**
 * macro = mean over ALL columns of the column F1, a column with no true and no predicted positives scoring 0
 * (sklearn f1_score(average='macro') with zero_division=0); micro = F1 of TP/FP/FN pooled over columns.
 */
export function columnF1(s: ColumnConfusion): { microF1: number; macroF1: number } {
  let tp = 0, fp = 0, fn = 0, sum = 0;
  const n = s.tp.length;
  for (let i = 0; i < n; i++) {
    sum += safeDiv(2 * s.tp[i], 2 * s.tp[i] + s.fp[i] + s.fn[i]);
    tp += s.tp[i]; fp += s.fp[i]; fn += s.fn[i];
  }
  return { microF1: safeDiv(2 * tp, 2 * tp + fp + fn), macroF1: n > 0 ? sum / n : 0 };
}

/**
 * The CrimeForecaster papers' macro-F1: their code reshapes predictions to (-1, C) — rows are (sample, region) pairs,
 * columns the C categories — before sklearn's f1_score(average='macro'), so macro is the mean over the C CATEGORY
 * columns, each pooling every region. Columns of `s` are laid out region-major (index = r · C + c).
 */
export function categoryMacroF1(s: ColumnConfusion, C: number): number {
  const tp = new Float64Array(C), fp = new Float64Array(C), fn = new Float64Array(C);
  for (let i = 0; i < s.tp.length; i++) { const c = i % C; tp[c] += s.tp[i]; fp[c] += s.fp[i]; fn[c] += s.fn[i]; }
  let sum = 0;
  for (let c = 0; c < C; c++) sum += safeDiv(2 * tp[c], 2 * tp[c] + fp[c] + fn[c]);
  return C > 0 ? sum / C : 0;
}

// ------------------------------------------------------------------------------------------------ ranking metrics

/**
 * Distinct scores in decreasing order with the cumulative counts at each: tp[j] / fp[j] = positives / negatives
 * with score ≥ thresholds[j]. NaN scores are skipped. Built by sorting positives and negatives separately
 * (native typed-array sort) and merging, so no index array or comparator is needed.
 */
export interface ThresholdSweep {
  thresholds: Float64Array;
  tp: Float64Array;
  fp: Float64Array;
  positives: number;
  negatives: number;
}

export function thresholdSweep(scores: ArrayLike<number>, observed: ArrayLike<number>, stride = 1, offset = 0): ThresholdSweep {
  let np = 0, nn = 0;
  for (let i = offset; i < scores.length; i += stride) {
    if (Number.isNaN(scores[i])) continue;
    if (observed[i] > 0.5) np++; else nn++;
  }
  const pos = new Float64Array(np), neg = new Float64Array(nn);
  np = 0; nn = 0;
  for (let i = offset; i < scores.length; i += stride) {
    if (Number.isNaN(scores[i])) continue;
    if (observed[i] > 0.5) pos[np++] = scores[i]; else neg[nn++] = scores[i];
  }
  pos.sort(); neg.sort();
  const thr = new Float64Array(np + nn), tp = new Float64Array(np + nn), fp = new Float64Array(np + nn);
  let a = np - 1, b = nn - 1, j = 0, ctp = 0, cfp = 0;
  while (a >= 0 || b >= 0) {
    const t = Math.max(a >= 0 ? pos[a] : -Infinity, b >= 0 ? neg[b] : -Infinity);
    while (a >= 0 && pos[a] === t) { ctp++; a--; }
    while (b >= 0 && neg[b] === t) { cfp++; b--; }
    thr[j] = t; tp[j] = ctp; fp[j] = cfp; j++;
  }
  return { thresholds: thr.slice(0, j), tp: tp.slice(0, j), fp: fp.slice(0, j), positives: np, negatives: nn };
}

/**
 * Area under the ROC curve: trapezoids between successive distinct thresholds, which equals the rank statistic
 * (Mann–Whitney U / n₁n₀) with tied scores counted ½. NaN when either class is empty.
 */
export function aucRocFromSweep(s: ThresholdSweep): number {
  if (s.positives === 0 || s.negatives === 0) return NaN;
  let area = 0, prevTp = 0, prevFp = 0;
  for (let j = 0; j < s.thresholds.length; j++) {
    area += (s.fp[j] - prevFp) * (s.tp[j] + prevTp) * 0.5;
    prevTp = s.tp[j]; prevFp = s.fp[j];
  }
  return area / (s.positives * s.negatives);
}

/**
 * Average precision as sklearn computes it: AP = Σ_j (R_j − R_{j−1}) P_j over distinct thresholds in decreasing
 * order (step-wise, no interpolation). NaN with no positives.
 */
export function averagePrecisionFromSweep(s: ThresholdSweep): number {
  if (s.positives === 0) return NaN;
  let ap = 0, prevTp = 0;
  for (let j = 0; j < s.thresholds.length; j++) {
    ap += ((s.tp[j] - prevTp) / s.positives) * (s.tp[j] / (s.tp[j] + s.fp[j]));
    prevTp = s.tp[j];
  }
  return ap;
}

export function aucRoc(scores: ArrayLike<number>, observed: ArrayLike<number>): number {
  return aucRocFromSweep(thresholdSweep(scores, observed));
}

export function averagePrecision(scores: ArrayLike<number>, observed: ArrayLike<number>): number {
  return averagePrecisionFromSweep(thresholdSweep(scores, observed));
}

/** AUC-ROC and AUC-PR (average precision) per category of flat arrays. */
export function rankingMetricsByCategory(scores: ArrayLike<number>, observed: ArrayLike<number>, categories: number): { aucRoc: Float64Array; aucPr: Float64Array } {
  const roc = new Float64Array(categories), pr = new Float64Array(categories);
  for (let c = 0; c < categories; c++) {
    const s = thresholdSweep(scores, observed, categories, c);
    roc[c] = aucRocFromSweep(s);
    pr[c] = averagePrecisionFromSweep(s);
  }
  return { aucRoc: roc, aucPr: pr };
}

// ------------------------------------------------------------------------------------------------ calibration

/**
 * Additive calibration accumulator: per category, squared-error sum for the Brier score, and per probability bin
 * (equal-width on [0, 1], bin b covers [b/B, (b+1)/B), the last bin includes 1) the sum of predicted probabilities,
 * the number of positive outcomes and the count. Arrays are [category][bin] flattened: index c * bins + b.
 */
export interface CalibrationSums {
  categories: number;
  bins: number;
  brierSum: Float64Array;
  n: Float64Array;
  binProb: Float64Array;
  binPos: Float64Array;
  binCount: Float64Array;
}

export function emptyCalibration(categories: number, bins = 10): CalibrationSums {
  return {
    categories, bins, brierSum: new Float64Array(categories), n: new Float64Array(categories),
    binProb: new Float64Array(categories * bins), binPos: new Float64Array(categories * bins), binCount: new Float64Array(categories * bins),
  };
}

/** Per-period form: adds probabilities `prob` against counts `observed` into `into`. */
export function calibrationPeriod(
  prob: ArrayLike<number>, observed: ArrayLike<number>, categories: number, into = emptyCalibration(categories),
): CalibrationSums {
  const B = into.bins;
  for (let i = 0; i < prob.length; i++) {
    const c = i % categories, p = prob[i], o = observed[i] > 0.5 ? 1 : 0;
    into.brierSum[c] += (p - o) * (p - o);
    into.n[c]++;
    const b = c * B + Math.min(B - 1, Math.max(0, Math.floor(p * B)));
    into.binProb[b] += p; into.binPos[b] += o; into.binCount[b]++;
  }
  return into;
}

export interface ReliabilityTable {
  /** Per bin: mean predicted probability, observed frequency, count (NaN means for empty bins). */
  meanPredicted: Float64Array;
  observedFrequency: Float64Array;
  count: Float64Array;
  /** Expected calibration error Σ_b (n_b / N) |observed_b − predicted_b|. */
  ece: number;
  brier: number;
}

/** Reliability table of one category, or of all categories pooled when `category` is omitted. */
export function reliability(s: CalibrationSums, category?: number): ReliabilityTable {
  const B = s.bins;
  const mp = new Float64Array(B), of = new Float64Array(B), cnt = new Float64Array(B);
  let brier = 0, n = 0;
  for (let c = 0; c < s.categories; c++) {
    if (category !== undefined && c !== category) continue;
    brier += s.brierSum[c]; n += s.n[c];
    for (let b = 0; b < B; b++) { mp[b] += s.binProb[c * B + b]; of[b] += s.binPos[c * B + b]; cnt[b] += s.binCount[c * B + b]; }
  }
  let ece = 0;
  for (let b = 0; b < B; b++) {
    mp[b] = cnt[b] > 0 ? mp[b] / cnt[b] : NaN;
    of[b] = cnt[b] > 0 ? of[b] / cnt[b] : NaN;
    if (cnt[b] > 0) ece += (cnt[b] / n) * Math.abs(of[b] - mp[b]);
  }
  return { meanPredicted: mp, observedFrequency: of, count: cnt, ece, brier: n > 0 ? brier / n : NaN };
}

/** Brier score per category: mean (p − 1{y≥1})². */
export function brierByCategory(s: CalibrationSums): Float64Array {
  const out = new Float64Array(s.categories);
  for (let c = 0; c < s.categories; c++) out[c] = s.n[c] > 0 ? s.brierSum[c] / s.n[c] : NaN;
  return out;
}
