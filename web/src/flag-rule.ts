/**
 * The forecast's flagging rule as the server applies it (src/forecast/produce.ts), for the dashboard's coverage
 * slider: areas by rank (expected incidents per km²) until the flagged area would pass the share of the total area,
 * never an area with no expected crime — those are counted, so the page can say the share was not filled.
 */
export interface FlagFeature { properties: Record<string, unknown> }

export interface Flagging { flagged: Set<string>; expectedShare: number; zeroSkipped: number }

export function flagAtShare(features: FlagFeature[], share: number): Flagging {
  const feats = [...features].sort((a, b) => Number(a.properties.rank) - Number(b.properties.rank));
  const expOf = (f: FlagFeature) => Number(f.properties.expected_total ?? f.properties.expected);
  const budget = share * feats.reduce((s, f) => s + Number(f.properties.area_m2), 0) * (1 + 1e-9);
  const all = feats.reduce((s, f) => s + expOf(f), 0);
  const flagged = new Set<string>();
  let area = 0, exp = 0, zeroSkipped = 0;
  for (const f of feats) {
    const fa = Number(f.properties.area_m2);
    // at least one area, as the server's rule
    if (flagged.size + zeroSkipped > 0 && area + fa > budget) break;
    area += fa;
    if (!(expOf(f) > 0)) { zeroSkipped++; continue; }
    flagged.add(String(f.properties.id)); exp += expOf(f);
  }
  return { flagged, expectedShare: all > 0 ? exp / all : 0, zeroSkipped };
}
