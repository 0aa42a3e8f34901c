/**
 * What differential privacy costs a hot-spot map. A count map (incidents per region over a publication window) is
 * published under a mechanism at each ε; regions are ranked by the noisy map, and that ranking is scored on
 * held-out periods (hit rate and PAI at a coverage level, area-aware as in evaluate/metrics/hotspot.ts) against the
 * ranking from the noiseless map. Each ε is drawn `draws` times; the table gives the mean and the 2.5–97.5%
 * range over draws (the spread due to the noise, not a sampling CI of the data).
 */
import type { ReportSection } from '../../evaluate/report/types.js';
import { flaggedCount, hotspotMetricsFromSums, hotspotPeriod, flagOrder, emptyHotspotSums } from '../../evaluate/metrics/hotspot.js';
import { sortedQuantile } from '../../evaluate/uncertainty.js';
import { Rng } from '../../util/rng.js';
import { privatizeCounts, type MechanismKind } from './mechanisms.js';

export interface UtilityOptions {
  /** Counts per period and region, [t][r] row-major (T × R); sum categories beforehand. */
  counts: Float32Array | Float64Array;
  regions: number;
  /** Periods [from, to) summed into the published map. */
  publish: [number, number];
  /** Held-out periods [from, to) on which the ranking is scored. */
  test: [number, number];
  area?: ArrayLike<number>;
  coverage?: number;
  epsilons?: number[];
  mechanism?: MechanismKind;
  sensitivity?: number;
  draws?: number;
  seed?: number;
}

export interface UtilityRow {
  epsilon: number;
  hitRate: number;
  hitRateLo: number;
  hitRateHi: number;
  pai: number;
  /** Mean hit-rate change vs the noiseless map (negative = loss). */
  hitRateChange: number;
  /** Mean Jaccard overlap of the flagged set with the noiseless flagged set. */
  overlap: number;
  /** Standard deviation of the noise added per cell. */
  noiseSd: number;
}

export interface UtilityResult {
  coverage: number;
  mechanism: MechanismKind;
  sensitivity: number;
  draws: number;
  noiseless: { hitRate: number; pai: number };
  rows: UtilityRow[];
}

function periodRow(counts: Float32Array | Float64Array, R: number, t: number): ArrayLike<number> {
  return counts.subarray(t * R, (t + 1) * R);
}

function score(risk: ArrayLike<number>, o: UtilityOptions, cov: number): { hitRate: number; pai: number } {
  const sums = emptyHotspotSums([cov]);
  for (let t = o.test[0]; t < o.test[1]; t++) hotspotPeriod(risk, periodRow(o.counts, o.regions, t), [cov], o.area, sums);
  const m = hotspotMetricsFromSums(sums);
  return { hitRate: m.hitRate[0], pai: m.pai[0] };
}

function flaggedSet(risk: ArrayLike<number>, cov: number, area?: ArrayLike<number>): Set<number> {
  const order = flagOrder(risk, area), k = flaggedCount(order, cov, area);
  return new Set(Array.from(order.subarray(0, k)));
}

export function utilityVsEpsilon(o: UtilityOptions): UtilityResult {
  const R = o.regions, cov = o.coverage ?? 0.1, mech = o.mechanism ?? 'geometric', sens = o.sensitivity ?? 1;
  const draws = o.draws ?? 20, eps = o.epsilons ?? [0.1, 0.5, 1, 2, 5, Infinity];
  const map = new Float64Array(R);
  for (let t = o.publish[0]; t < o.publish[1]; t++) for (let r = 0; r < R; r++) map[r] += o.counts[t * R + r];
  const base = score(map, o, cov), baseSet = flaggedSet(map, cov, o.area);
  const rng = new Rng(o.seed ?? 1);
  const rows = eps.map((epsilon): UtilityRow => {
    const hr = new Float64Array(draws);
    let pai = 0, overlap = 0;
    for (let d = 0; d < draws; d++) {
      const noisy = privatizeCounts(map, mech, { epsilon, sensitivity: sens }, rng);
      const s = score(noisy, o, cov);
      hr[d] = s.hitRate; pai += s.pai;
      const set = flaggedSet(noisy, cov, o.area);
      let inter = 0;
      for (const i of set) if (baseSet.has(i)) inter++;
      overlap += inter / (set.size + baseSet.size - inter);
    }
    const sorted = Float64Array.from(hr).sort();
    const mean = hr.reduce((a, b) => a + b, 0) / draws;
    const noiseSd = epsilon === Infinity ? 0 : mech === 'laplace'
      ? Math.SQRT2 * (sens / epsilon)
      : Math.sqrt((2 * Math.exp(-epsilon / sens)) / (1 - Math.exp(-epsilon / sens)) ** 2);
    return {
      epsilon, hitRate: mean, hitRateLo: sortedQuantile(sorted, 0.025), hitRateHi: sortedQuantile(sorted, 0.975),
      pai: pai / draws, hitRateChange: mean - base.hitRate, overlap: overlap / draws, noiseSd,
    };
  });
  return { coverage: cov, mechanism: mech, sensitivity: sens, draws, noiseless: base, rows };
}

export function utilitySection(u: UtilityResult, note = ''): ReportSection {
  const name = (e: number) => (e === Infinity ? 'ε = ∞ (no noise)' : `ε = ${e}`);
  const finiteX = u.rows.filter((r) => Number.isFinite(r.epsilon));
  return {
    heading: 'Privacy–utility trade-off of a published hot-spot map',
    paragraphs: [
      `Counts published with the ${u.mechanism} mechanism (sensitivity Δ = ${u.sensitivity}), regions ranked by the noisy map, ` +
      `scored on held-out periods at ${(u.coverage * 100).toFixed(1)}% coverage; ${u.draws} noise draws per ε. ` +
      `Noiseless: hit rate ${u.noiseless.hitRate.toFixed(4)}, PAI ${u.noiseless.pai.toFixed(3)}.` + (note ? ' ' + note : ''),
      'The interval is the 2.5–97.5% range over noise draws (variation due to the privacy noise alone).',
    ],
    tables: [
      { metric: 'hit rate', better: 'higher', rows: u.rows.map((r) => ({ model: name(r.epsilon), value: r.hitRate, lo: r.hitRateLo, hi: r.hitRateHi })) },
      { metric: 'PAI', better: 'higher', rows: u.rows.map((r) => ({ model: name(r.epsilon), value: r.pai })) },
      { metric: 'overlap with the noiseless flagged set (Jaccard)', better: 'higher', rows: u.rows.map((r) => ({ model: name(r.epsilon), value: r.overlap })) },
    ],
    charts: [{
      title: 'Hit rate vs ε', xLabel: 'ε', yLabel: 'hit rate', logX: true,
      series: [
        { name: 'noisy map', x: finiteX.map((r) => r.epsilon), y: finiteX.map((r) => r.hitRate) },
        { name: 'noiseless', x: finiteX.map((r) => r.epsilon), y: finiteX.map(() => u.noiseless.hitRate) },
      ],
    }],
  };
}
