/**
 * Bounds on the work of one aggregate-map request (hot spots, unit polygons): regions, neighbour pairs, response
 * bytes, wall time and heap of the worker. A request over a bound is refused up front with a 4xx that names the bound
 * and the server option an admin raises it with, instead of holding a core and gigabytes for minutes.
 */
export interface MapLimits {
  /** Regions one request may build (grid cells or H3 cells). */
  maxCells: number;
  /** Neighbour pairs of the spatial weights (what Gi* and Moran's I cost, and what band:METRES multiplies). */
  maxNeighbourPairs: number;
  /** Neighbour pairs × permutations of a permutation test (local Moran's I draws 499 per region). */
  maxPermutationWork: number;
  /** Regions × periods × categories of a backtest's or forecast's count tensor (4 bytes each, several copies). */
  maxTensorValues: number;
  /** Largest GeoJSON answer. */
  maxResponseBytes: number;
  /** Wall time after which the analysis worker is stopped. */
  timeoutMs: number;
  /** V8 heap of the analysis worker (typed arrays are bounded by maxCells and maxNeighbourPairs). */
  workerHeapMb: number;
  /** Analyses run at once (each is one busy core); more wait, and past `queue` waiting ones a request gets 503. */
  concurrent: number;
  queue: number;
}

/** grid:250 over a whole large city (Chicago: ~25,000 cells) and band:1000 on it (~1.3 M pairs) fit; grid:50 does not. */
export const DEFAULT_MAP_LIMITS: MapLimits = {
  maxCells: 50_000,
  maxNeighbourPairs: 2_000_000,
  // contiguity Moran on grid:250 over Chicago (~23,000 cells × 9 × 499 ≈ 1e8) fits; band:1000 on it (6e8, 15 s) does not
  maxPermutationWork: 250_000_000,
  // 2 years of days on grid:500 over Chicago (~6,000 cells) with 8 categories is 35 M
  maxTensorValues: 100_000_000,
  maxResponseBytes: 32 * 1024 * 1024,
  timeoutMs: 60_000,
  workerHeapMb: 1024,
  concurrent: 2,
  queue: 8,
};

/** The `crimecast serve` option that raises each bound (named in the refusals). */
export const LIMIT_OPTION = {
  maxCells: '--max-cells',
  maxNeighbourPairs: '--max-neighbour-pairs',
  maxPermutationWork: '--max-permutation-work',
  maxTensorValues: '--max-tensor-values',
  maxResponseBytes: '--max-response-mb',
} as const;
