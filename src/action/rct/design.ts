/**
 * Randomisation of units (cells, beats or unit × shift slots) to treatment (1) or control (0).
 *
 * - simple: independent Bernoulli(p) per unit (group sizes vary).
 * - complete: exactly round(p·n) treated.
 * - blocked: units sorted by baseline crime, cut into consecutive blocks of `blockSize`, complete randomisation
 *   within each block (blockSize 2 = matched pairs) — balances baseline crime, the dominant source of variance.
 * - stratified: `strata` quantile strata of baseline crime, complete randomisation within each stratum.
 * The design keeps its blocks so a randomisation test can redraw assignments exactly as the design did.
 */
import { Rng } from '../../util/rng.js';
import { UserError } from '../../util/errors.js';

export type RandomisationScheme = 'simple' | 'complete' | 'blocked' | 'stratified';

export interface DesignOptions {
  scheme: RandomisationScheme;
  /** Share treated (default 0.5). */
  pTreat?: number;
  /** Block size for 'blocked' (default 2). */
  blockSize?: number;
  /** Number of strata for 'stratified' (default 4). */
  strata?: number;
  seed?: number;
}

export interface RctDesign {
  scheme: RandomisationScheme;
  pTreat: number;
  /** Block / stratum of each unit (0 for simple and complete). */
  block: Int32Array;
  /** 1 = treated, 0 = control. */
  assignment: Uint8Array;
}

/** Blocks from baseline crime (ties broken by unit index so the blocks are deterministic). */
export function makeBlocks(baseline: ArrayLike<number>, opts: DesignOptions): Int32Array {
  const n = baseline.length;
  const block = new Int32Array(n);
  if (opts.scheme === 'simple' || opts.scheme === 'complete') return block;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => baseline[a] - baseline[b] || a - b);
  if (opts.scheme === 'blocked') {
    const size = opts.blockSize ?? 2;
    if (!(size >= 2)) throw new UserError('block size must be at least 2');
    order.forEach((u, rank) => { block[u] = Math.floor(rank / size); });
  } else {
    const strata = opts.strata ?? 4;
    if (!(strata >= 1)) throw new UserError('the number of strata must be at least 1');
    order.forEach((u, rank) => { block[u] = Math.min(strata - 1, Math.floor((rank * strata) / n)); });
  }
  return block;
}

/** Draw an assignment under the design's scheme and blocks. */
export function drawAssignment(scheme: RandomisationScheme, pTreat: number, block: Int32Array, rng: Rng, out = new Uint8Array(block.length)): Uint8Array {
  const n = block.length;
  if (scheme === 'simple') {
    for (let i = 0; i < n; i++) out[i] = rng.random() < pTreat ? 1 : 0;
    return out;
  }
  // complete randomisation within each block: shuffle the block's members, treat the first round(p·size)
  const members = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    let m = members.get(block[i]);
    if (!m) members.set(block[i], (m = []));
    m.push(i);
  }
  for (const m of members.values()) {
    rng.shuffle(m);
    // fractional share in small blocks: randomise the extra unit so the expected share is exactly pTreat
    const exact = pTreat * m.length, base = Math.floor(exact);
    const nt = base + (rng.random() < exact - base ? 1 : 0);
    m.forEach((u, k) => { out[u] = k < nt ? 1 : 0; });
  }
  return out;
}

export function designTrial(baseline: ArrayLike<number>, opts: DesignOptions): RctDesign {
  const pTreat = opts.pTreat ?? 0.5;
  if (!(pTreat > 0 && pTreat < 1)) throw new UserError('the treated share must lie in (0, 1)');
  const block = makeBlocks(baseline, opts);
  const assignment = drawAssignment(opts.scheme, pTreat, block, new Rng(opts.seed ?? 1));
  return { scheme: opts.scheme, pTreat, block, assignment };
}
