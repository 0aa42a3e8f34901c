/**
 * Emerging hot-spot pattern rules (ArcGIS "How Emerging Hot Spot Analysis works"), applied to one
 * location's series of significant hot/cold bins and the Mann-Kendall trend of its Gi* z-scores.
 * The rules overlap in the published text; they are tested in the order below so each location
 * gets exactly one pattern. Cold patterns are the same rules with hot and cold swapped and the
 * trend sign reversed (an intensifying cold spot has z-scores trending down).
 */
export type EmergingPattern =
  | 'new hot spot' | 'consecutive hot spot' | 'intensifying hot spot' | 'persistent hot spot'
  | 'diminishing hot spot' | 'sporadic hot spot' | 'oscillating hot spot' | 'historical hot spot'
  | 'new cold spot' | 'consecutive cold spot' | 'intensifying cold spot' | 'persistent cold spot'
  | 'diminishing cold spot' | 'sporadic cold spot' | 'oscillating cold spot' | 'historical cold spot'
  | 'no pattern detected';

export const EMERGING_PATTERNS: readonly EmergingPattern[] = [
  'new hot spot', 'consecutive hot spot', 'intensifying hot spot', 'persistent hot spot',
  'diminishing hot spot', 'sporadic hot spot', 'oscillating hot spot', 'historical hot spot',
  'new cold spot', 'consecutive cold spot', 'intensifying cold spot', 'persistent cold spot',
  'diminishing cold spot', 'sporadic cold spot', 'oscillating cold spot', 'historical cold spot',
  'no pattern detected',
];

/** Share of time steps that must be significant for the "most of the time" patterns. */
export const PERSISTENCE_SHARE = 0.9;

type Kind = 'new' | 'consecutive' | 'intensifying' | 'persistent' | 'diminishing' | 'sporadic' | 'oscillating' | 'historical';

/**
 * One side (hot, or cold with roles swapped). `same[t]` = significant in this direction at step t,
 * `other[t]` = significant in the opposite direction, `trend` = +1 / −1 for a significant Mann-Kendall
 * trend towards / away from this direction, 0 for none.
 */
function classifySide(same: ArrayLike<number>, other: ArrayLike<number>, trend: number): Kind | null {
  const T = same.length;
  if (T === 0) return null;
  const last = T - 1;
  let nSame = 0, nOtherBefore = 0;
  for (let t = 0; t < T; t++) { nSame += same[t] ? 1 : 0; if (t < last && other[t]) nOtherBefore++; }
  const nOther = nOtherBefore + (other[last] ? 1 : 0);
  const finalSame = !!same[last];
  const mostly = nSame >= PERSISTENCE_SHARE * T;
  let run = 0;
  for (let t = last; t >= 0 && same[t]; t--) run++;

  // Intensifying: significant in ≥90% of steps including the final one, and the intensity trend is significantly upward.
  if (mostly && finalSame && trend > 0) return 'intensifying';
  // Diminishing: significant in ≥90% of steps including the final one, and the intensity trend is significantly downward.
  if (mostly && finalSame && trend < 0) return 'diminishing';
  // Persistent: significant in ≥90% of steps (final included) with no discernible trend in intensity.
  if (mostly && finalSame) return 'persistent';
  // Historical: significant in ≥90% of steps, but not in the most recent one.
  if (mostly) return 'historical';
  // Oscillating: significant in the final step, and significant in the opposite direction at some earlier step (<90% share).
  if (finalSame && nOtherBefore > 0) return 'oscillating';
  // New: significant in the final step and never before.
  if (finalSame && nSame === 1) return 'new';
  // Consecutive: one uninterrupted run of ≥2 significant steps ending at the final step, never significant before it (<90% share).
  if (finalSame && run >= 2 && run === nSame) return 'consecutive';
  // Sporadic: on-again, off-again significant in this direction (<90% share), never significant in the opposite direction.
  if (nSame > 0 && nOther === 0) return 'sporadic';
  return null;
}

/**
 * Pattern of one location. `hot[t]` / `cold[t]` mark significant hot / cold bins (at most one true per
 * step); `trendZ` and `trendSignificant` come from Mann-Kendall on the location's Gi* z-scores.
 */
export function classifyEmerging(hot: ArrayLike<number>, cold: ArrayLike<number>, trendZ: number | null, trendSignificant: boolean): EmergingPattern {
  const up = trendSignificant && trendZ !== null ? Math.sign(trendZ) : 0;
  const T = hot.length;
  // The final step decides the side; with a non-significant final step only one side can qualify
  // (historical needs ≥90% of one sign, sporadic needs none of the other).
  const hotFirst = T > 0 && !cold[T - 1];
  const sides: ['hot' | 'cold', ArrayLike<number>, ArrayLike<number>, number][] = [
    ['hot', hot, cold, up],
    ['cold', cold, hot, -up],
  ];
  if (!hotFirst) sides.reverse();
  for (const [name, same, other, trend] of sides) {
    const kind = classifySide(same, other, trend);
    if (kind) return `${kind} ${name} spot` as EmergingPattern;
  }
  return 'no pattern detected';
}
