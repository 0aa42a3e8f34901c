/** Class breaks for choropleth legends (report maps, KML), shared so every map of a forecast classes alike. */

/**
 * Quantile breaks over the values above zero: k classes → up to k − 1 ascending breaks (duplicates merged), so
 * zero-risk regions fall in the lowest class and a few extreme cells do not wash the rest of the map out.
 */
export function classBreaks(values: ArrayLike<number>, k = 5): number[] {
  const v = Array.from(values).filter((x) => x > 0 && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return [];
  const out: number[] = [];
  for (let i = 1; i < k; i++) out.push(v[Math.min(v.length - 1, Math.floor((i * v.length) / k))]);
  return [...new Set(out)];
}

/** Class index of x: 0 below the first break, breaks.length at or above the last. */
export function classOf(x: number, breaks: number[]): number {
  let c = 0;
  while (c < breaks.length && x >= breaks[c]) c++;
  return c;
}
