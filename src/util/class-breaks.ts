/** Class breaks for choropleth legends (report maps, KML), shared so every map of a forecast classes alike. */

/** Shares of regions, highest first, that the classes stand for: top 1%, 1–5%, 5–20%, 20–50%, the rest. */
export const RANK_SHARES = [0.01, 0.05, 0.2, 0.5];

/**
 * Breaks at rank shares of the regions (by value, highest first): the darkest class is the top 1% of regions, as
 * a hot-spot analyst reads a map, and a smooth surface (KDE) cannot wash the whole area into one class the way
 * quantiles over all positive values do. Returns ascending breaks (duplicates merged) and the share each stands for.
 */
export function classBreaks(values: ArrayLike<number>, shares = RANK_SHARES): { breaks: number[]; shares: number[] } {
  const v = Array.from(values).filter(Number.isFinite).sort((a, b) => b - a);
  const out: { b: number; s: number }[] = [];
  for (const s of [...shares].sort((a, b) => b - a)) {
    const k = Math.max(1, Math.round(s * v.length));
    const b = v[Math.min(v.length - 1, k - 1)];
    // a break at 0 would put zero-risk regions in a coloured class
    if (b > 0 && (out.length === 0 || b > out[out.length - 1].b)) out.push({ b, s });
  }
  return { breaks: out.map((o) => o.b), shares: out.map((o) => o.s) };
}

/** Class index of x: 0 below the first break, breaks.length at or above the last. */
export function classOf(x: number, breaks: number[]): number {
  let c = 0;
  while (c < breaks.length && x >= breaks[c]) c++;
  return c;
}

/** Legend labels, lowest class first: "< 0.1 (rest)", "0.1 – 0.5 (top 20%)", …, "≥ 2 (top 1%)". */
export function classLabels(breaks: number[], shares: number[], fmt: (v: number) => string): string[] {
  const pct = (s: number) => `${+(100 * s).toFixed(1)}%`;
  if (breaks.length === 0) return ['0 everywhere'];
  return [`< ${fmt(breaks[0])} (the rest)`, ...breaks.map((b, i) => (i === breaks.length - 1 ? `≥ ${fmt(b)} (top ${pct(shares[i])})` : `${fmt(b)} – ${fmt(breaks[i + 1])} (top ${pct(shares[i])})`))];
}
