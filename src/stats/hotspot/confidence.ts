/** ArcGIS-style confidence bins: ±3 / ±2 / ±1 for 99 / 95 / 90 % confidence, sign from the z-score. */
export const BIN_LEVELS = [0.01, 0.05, 0.1] as const;

export function confidenceBin(z: number, p: number): number {
  const level = p < 0.01 ? 3 : p < 0.05 ? 2 : p < 0.1 ? 1 : 0;
  return z > 0 ? level : z < 0 ? -level : 0;
}

export const BIN_LABELS: Record<number, string> = {
  3: 'hot spot 99%', 2: 'hot spot 95%', 1: 'hot spot 90%', 0: 'not significant',
  [-1]: 'cold spot 90%', [-2]: 'cold spot 95%', [-3]: 'cold spot 99%',
};
