/**
 * LambdaRank gradients for boosting a ranking of rows within groups (Burges 2010, "From RankNet to LambdaRank to
 * LambdaMART: an overview", §4–6). In a hot-spot forecast a group is one period and its rows are the cells: the
 * forecast is judged by how many incidents its top-ranked cells catch (PAI, hit rate), a ranking metric, so the
 * boosted score is trained on NDCG@k of each period's ranking instead of a per-row likelihood.
 *
 * For each pair (i, j) in a group with y_i > y_j, where at least one of the two sits in the current top k
 * (truncation, as LightGBM's `lambdarank_truncation_level`, because only the head of the ranking is patrolled):
 *   ρ = 1 / (1 + exp(σ (s_i − s_j))),  |ΔNDCG| = |G(y_i) − G(y_j)| · |D(r_i) − D(r_j)| / maxDCG@k,
 *   ∂C/∂s_i −= σ ρ |ΔNDCG|,  ∂C/∂s_j += σ ρ |ΔNDCG|,  both hessians += σ² ρ (1 − ρ) |ΔNDCG|,
 * with D(r) = 1 / log2(2 + r) at 0-based rank r and gain G(y) = y (linear: PAI counts incidents, not graded
 * relevance) or 2^y − 1 (the web-search convention). Each group's lambdas are then scaled by
 * log2(1 + Σ|λ|) / Σ|λ| (LightGBM's default normalisation), so a period with many positives does not outweigh the
 * others by its pair count alone. Written here because no maintained npm package boosts trees for ranking.
 */
export type LabelGain = 'linear' | 'exponential';

/** Rows of each group: rows[offsets[q] … offsets[q + 1]) belong to group q. */
export interface GroupIndex {
  offsets: Uint32Array;
  rows: Uint32Array;
}

/** Groups the given rows by group id (rows keep their order inside a group; groups in order of first appearance). */
export function indexGroups(group: ArrayLike<number>, rows: Uint32Array, n = rows.length): GroupIndex {
  const slot = new Map<number, number>();
  const count: number[] = [];
  for (let k = 0; k < n; k++) {
    const id = group[rows[k]];
    let q = slot.get(id);
    if (q === undefined) { q = count.length; slot.set(id, q); count.push(0); }
    count[q]++;
  }
  const offsets = new Uint32Array(count.length + 1);
  for (let q = 0; q < count.length; q++) offsets[q + 1] = offsets[q] + count[q];
  const fill = offsets.slice(0, count.length), out = new Uint32Array(n);
  for (let k = 0; k < n; k++) { const r = rows[k]; out[fill[slot.get(group[r])!]++] = r; }
  return { offsets, rows: out };
}

const gainOf = (y: number, kind: LabelGain): number => (kind === 'linear' ? y : Math.pow(2, y) - 1);
const discount = (rank: number): number => 1 / Math.log2(2 + rank);

/** Reusable buffers for one group's ranking (sized to the largest group). */
class Scratch {
  order = new Uint32Array(0);
  labels = new Float64Array(0);
  ensure(n: number): void {
    if (this.order.length < n) { this.order = new Uint32Array(n); this.labels = new Float64Array(n); }
  }
}

/** Best DCG@k of a group's labels (labels sorted descending). */
function maxDcg(y: Float32Array, rows: Uint32Array, from: number, n: number, k: number, kind: LabelGain, s: Scratch): number {
  const lab = s.labels;
  for (let a = 0; a < n; a++) lab[a] = y[rows[from + a]];
  const sorted = lab.subarray(0, n).sort().reverse();
  let best = 0;
  for (let a = 0; a < Math.min(k, n); a++) best += gainOf(sorted[a], kind) * discount(a);
  return best;
}

/** The group's rows by descending score; ties by row id so the ranking (and the fit) is deterministic. */
function rankGroup(F: Float64Array, rows: Uint32Array, from: number, n: number, s: Scratch): Uint32Array {
  const order = s.order.subarray(0, n);
  for (let a = 0; a < n; a++) order[a] = rows[from + a];
  order.sort((p, q) => (F[q] - F[p]) || (p - q));
  return order;
}

/** DCG@k of a ranking. */
function dcgAt(y: Float32Array, order: Uint32Array, k: number, kind: LabelGain): number {
  let dcg = 0;
  for (let a = 0; a < Math.min(k, order.length); a++) dcg += gainOf(y[order[a]], kind) * discount(a);
  return dcg;
}

export interface LambdaRankParams {
  /** Pairs are formed only where one side ranks in the top `truncation` (and NDCG is taken at this depth). */
  truncation: number;
  sigma: number;
  labelGain: LabelGain;
}

/**
 * Writes the lambdas (g) and their derivatives (h) for every row of the groups and returns the mean of
 * 1 − NDCG@k over groups with any positive label (the loss early stopping watches). Rows outside the groups are
 * left untouched; rows of a group with no positive label get g = h = 0.
 */
export function lambdaGradients(y: Float32Array, w: Float64Array, F: Float64Array, g: Float64Array, h: Float64Array,
  groups: GroupIndex, p: LambdaRankParams): number {
  const s = new Scratch();
  let lossSum = 0, nScored = 0;
  const nGroups = groups.offsets.length - 1;
  for (let q = 0; q < nGroups; q++) {
    const from = groups.offsets[q], n = groups.offsets[q + 1] - from;
    s.ensure(n);
    for (let a = 0; a < n; a++) { const r = groups.rows[from + a]; g[r] = 0; h[r] = 0; }
    const best = maxDcg(y, groups.rows, from, n, p.truncation, p.labelGain, s);
    if (!(best > 0)) continue;
    const order = rankGroup(F, groups.rows, from, n, s);
    lossSum += 1 - dcgAt(y, order, p.truncation, p.labelGain) / best; nScored++;

    let sumLambda = 0;
    const head = Math.min(p.truncation, n);
    for (let a = 0; a < head; a++) {
      const ra = order[a], ya = y[ra], ga = gainOf(ya, p.labelGain), da = discount(a);
      for (let b = a + 1; b < n; b++) {
        const rb = order[b], yb = y[rb];
        if (ya === yb) continue;
        const hi = ya > yb ? ra : rb, lo = ya > yb ? rb : ra;
        const delta = Math.abs(ga - gainOf(yb, p.labelGain)) * Math.abs(da - discount(b)) / best;
        const rho = 1 / (1 + Math.exp(p.sigma * (F[hi] - F[lo])));
        // a pair weighs as the mean of its rows' weights (1 without sample weights)
        const pw = 0.5 * (w[hi] + w[lo]);
        const lambda = p.sigma * rho * delta * pw, hess = p.sigma * p.sigma * rho * (1 - rho) * delta * pw;
        g[hi] -= lambda; g[lo] += lambda; h[hi] += hess; h[lo] += hess;
        sumLambda += 2 * lambda;
      }
    }
    if (sumLambda > 0) {
      const norm = Math.log2(1 + sumLambda) / sumLambda;
      for (let a = 0; a < n; a++) { const r = groups.rows[from + a]; g[r] *= norm; h[r] *= norm; }
    }
  }
  return nScored > 0 ? lossSum / nScored : 0;
}

/** Mean 1 − NDCG@k over groups with any positive label. */
export function ndcgLoss(y: Float32Array, F: Float64Array, groups: GroupIndex, k: number, labelGain: LabelGain): number {
  const s = new Scratch();
  let lossSum = 0, nScored = 0;
  for (let q = 0; q < groups.offsets.length - 1; q++) {
    const from = groups.offsets[q], n = groups.offsets[q + 1] - from;
    s.ensure(n);
    const best = maxDcg(y, groups.rows, from, n, k, labelGain, s);
    if (!(best > 0)) continue;
    lossSum += 1 - dcgAt(y, rankGroup(F, groups.rows, from, n, s), k, labelGain) / best; nScored++;
  }
  return nScored > 0 ? lossSum / nScored : 0;
}
