/**
 * One call to prepare a count map for release: noise, post-processing, then small-cell suppression.
 *
 * The order matters. Suppression decided on the TRUE counts would leak (a published blank says "1..k−1 incidents
 * here"), so under differential privacy the rule is applied to the noisy counts, which is post-processing and keeps
 * the ε guarantee. Without noise (ε = ∞) it is the classic k-threshold rule on the true counts, which offers no
 * formal guarantee.
 */
import { Rng } from '../../util/rng.js';
import { suppressSmallCells } from './disclosure.js';
import { privatizeCounts, type MechanismKind } from './mechanisms.js';

export interface PublishOptions {
  /** ε of the release (Infinity: no noise). */
  epsilon: number;
  sensitivity?: number;
  mechanism?: MechanismKind;
  /** Suppress published cells below this count (default 1: none). */
  minCount?: number;
  seed?: number;
}

export interface PublishedCounts {
  /** Values to publish: non-negative integers, NaN where suppressed. */
  values: Float64Array;
  suppressed: number;
  epsilon: number;
  sensitivity: number;
  mechanism: MechanismKind;
  /** Guarantee in words, for the release notes. */
  guarantee: string;
}

export function publishCounts(counts: ArrayLike<number>, o: PublishOptions): PublishedCounts {
  const mechanism = o.mechanism ?? 'geometric', sensitivity = o.sensitivity ?? 1, k = o.minCount ?? 1;
  const noisy = privatizeCounts(counts, mechanism, { epsilon: o.epsilon, sensitivity }, new Rng(o.seed ?? 1), { clampZero: true, round: true });
  const s = k > 1 ? suppressSmallCells(noisy, k) : { values: noisy, suppressed: 0 };
  const guarantee = o.epsilon === Infinity
    ? `no formal privacy guarantee (true counts${k > 1 ? `, cells below ${k} suppressed` : ''})`
    : `${o.epsilon}-differential privacy for changes of up to ${sensitivity} incident(s) (${mechanism} mechanism${k > 1 ? `, cells below ${k} suppressed after noise` : ''})`;
  return { values: s.values, suppressed: s.suppressed, epsilon: o.epsilon, sensitivity, mechanism, guarantee };
}
