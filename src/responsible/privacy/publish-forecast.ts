/**
 * Differentially private release of a forecast (output perturbation, Dwork & Roth 2014 §3.3): noise is added to
 * every published (region, category) expected count over the horizon, and everything else written — totals,
 * P(≥ 1), rank, the flagged set, top places, per-period values — is recomputed from the noisy values only
 * (post-processing, so it keeps the guarantee). Per-period values are the noisy total split evenly over the
 * periods (the true time profile would leak), and P(≥ 1) is a Poisson's with the noisy mean.
 *
 * The guarantee needs Δ, the most one incident can change the whole published map in L1. For a count map Δ = 1;
 * for a model's forecast it depends on the model (moving-average:window=w over h periods moves one cell by h/w;
 * a learned model has no such bound), so Δ is an assumption the release states, not something checked here.
 */
import type { ForecastProduct } from '../../forecast/produce.js';
import { poissonForecast } from '../../models/distribution.js';
import { flagOrder, flaggedCount } from '../../evaluate/metrics/hotspot.js';
import { Rng } from '../../util/rng.js';
import { geometricAlpha, laplaceScale, privatizeCounts, type MechanismKind, type MechanismParams } from './mechanisms.js';

export interface DpRelease {
  epsilon: number;
  mechanism: MechanismKind;
  sensitivity: number;
  /** Laplace scale b, or the geometric mechanism's α. */
  scale: number;
  /** E|noise| added to each published value before clamping at 0. */
  expectedAbsNoise: number;
  /** Values the noise was added to, e.g. "expected count per region × category over the horizon". */
  cells: string;
  cellCount: number;
  /** Published values that the noise pushed below 0 and were clamped to 0. */
  clamped: number;
  seed: number;
  guarantee: string;
}

/** E|Z| of the mechanism's noise: Laplace b; two-sided geometric 2α/(1 − α²). */
export function expectedAbsNoise(kind: MechanismKind, p: MechanismParams): number {
  if (kind === 'laplace') return laplaceScale(p);
  const a = geometricAlpha(p);
  return (2 * a) / (1 - a * a);
}

/** Noisy copy of `values` (clamped at 0) and the release's description. */
export function privatizeValues(values: ArrayLike<number>, kind: MechanismKind, p: Required<MechanismParams>, seed: number, cells: string, round = false): { values: Float64Array; release: DpRelease } {
  const raw = privatizeCounts(values, kind, p, new Rng(seed), { clampZero: false, round });
  let clamped = 0;
  for (let i = 0; i < raw.length; i++) if (raw[i] < 0) { raw[i] = 0; clamped++; }
  const scale = kind === 'laplace' ? laplaceScale(p) : geometricAlpha(p);
  return {
    values: raw,
    release: {
      epsilon: p.epsilon, mechanism: kind, sensitivity: p.sensitivity, scale, expectedAbsNoise: expectedAbsNoise(kind, p),
      cells, cellCount: values.length, clamped, seed,
      guarantee: `${p.epsilon}-differential privacy for any one incident, provided one incident changes the published values by at most ${p.sensitivity} in total (L1); ` +
        `any output is at most e^ε = ${Math.exp(p.epsilon).toPrecision(3)} times more likely with that incident than without it`,
    },
  };
}

/** The forecast product as published under ε-DP, and the release notes; `area` ranks by density as the original. */
export function privatizeForecast(p: ForecastProduct, area: ArrayLike<number>, kind: MechanismKind, params: Required<MechanismParams>, seed: number): { product: ForecastProduct; release: DpRelease } {
  const R = p.regionIds.length, C = p.categories.length, H = p.periodStart.length;
  const { values: byCat, release } = privatizeValues(p.expectedByCategory, kind, params, seed, 'expected count per region × category over the horizon');
  const mean = new Float32Array(H * R * C);
  for (let h = 0; h < H; h++) for (let i = 0; i < R * C; i++) mean[h * R * C + i] = byCat[i] / H;
  const expected = new Float64Array(R);
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) expected[r] += byCat[r * C + c];
  const order = flagOrder(expected, area);
  const rank = new Int32Array(R);
  order.forEach((r, k) => { rank[r] = k + 1; });
  const kCoverage = flaggedCount(order, p.coverage, area);
  let k = 0;
  while (k < kCoverage && expected[order[k]] > 0) k++;
  const flagged = new Uint8Array(R);
  for (let j = 0; j < k; j++) flagged[order[j]] = 1;
  const warnings = [`published under ${release.guarantee} (${kind} mechanism, expected absolute noise ${release.expectedAbsNoise.toPrecision(3)} per region × category)`];
  if (k < kCoverage) warnings.push(`only ${k} regions have a published expected count above zero: ${kCoverage - k} more would be needed to fill ${(100 * p.coverage).toFixed(1)}% of the area, and are not flagged`);
  return {
    product: { ...p, expected, expectedByCategory: byCat, pAny: Float64Array.from(expected, (e) => 1 - Math.exp(-e)), rank, flagged, forecast: poissonForecast(mean, H, R, C), warnings },
    release,
  };
}
