/**
 * Candidate (parent, child) pairs of a space-time self-exciting process: j before i with
 * 0 < t_i − t_j ≤ maxDt and |x_i − x_j| ≤ maxDist. Triggering beyond that window is treated as zero, which
 * turns the O(n²) E-step into O(pairs). Events are bucketed into time blocks of length maxDt, each with its
 * own kdbush index, so a child only searches its own block and the previous one.
 */
import KDBush from 'kdbush';

export interface CandidatePairs {
  /** Parents of child i are entries off[i] .. off[i+1]. */
  off: Int32Array;
  parent: Int32Array;
  /** t_i − t_j, days. */
  dt: Float64Array;
  /** Squared distance, m². */
  d2: Float64Array;
}

class Growable {
  parent = new Int32Array(1024);
  dt = new Float64Array(1024);
  d2 = new Float64Array(1024);
  size = 0;
  push(j: number, dt: number, d2: number): void {
    if (this.size === this.parent.length) {
      const cap = this.size * 2;
      const p = new Int32Array(cap); p.set(this.parent); this.parent = p;
      const a = new Float64Array(cap); a.set(this.dt); this.dt = a;
      const b = new Float64Array(cap); b.set(this.d2); this.d2 = b;
    }
    this.parent[this.size] = j; this.dt[this.size] = dt; this.d2[this.size] = d2;
    this.size++;
  }
}

/** `t` must be ascending. */
export function candidatePairs(x: Float64Array, y: Float64Array, t: Float64Array, maxDt: number, maxDist: number): CandidatePairs {
  const n = t.length;
  for (let i = 1; i < n; i++) if (t[i] < t[i - 1]) throw new Error('candidatePairs: times must be sorted ascending');
  const off = new Int32Array(n + 1);
  const out = new Growable();
  if (n === 0) return { off, parent: new Int32Array(0), dt: new Float64Array(0), d2: new Float64Array(0) };
  // block b holds events with t in [t0 + b·maxDt, t0 + (b+1)·maxDt); blockStart[b] is its first event
  const t0 = t[0];
  const nBlocks = Math.floor((t[n - 1] - t0) / maxDt) + 1;
  const blockStart = new Int32Array(nBlocks + 1);
  for (let i = 0, b = 0; b <= nBlocks; b++) {
    while (i < n && Math.floor((t[i] - t0) / maxDt) < b) i++;
    blockStart[b] = i;
  }
  const index: (KDBush | null)[] = new Array(nBlocks).fill(null);
  const indexOf = (b: number): KDBush | null => {
    const a = blockStart[b], e = blockStart[b + 1];
    if (e === a) return null;
    let k = index[b];
    if (!k) {
      k = new KDBush(e - a);
      for (let i = a; i < e; i++) k.add(x[i], y[i]);
      k.finish();
      index[b] = k;
    }
    return k;
  };
  const r2 = maxDist * maxDist;
  for (let b = 0; b < nBlocks; b++) {
    if (b >= 2) index[b - 2] = null; // only the current and previous blocks are ever searched
    for (let i = blockStart[b]; i < blockStart[b + 1]; i++) {
      for (let bb = Math.max(0, b - 1); bb <= b; bb++) {
        const k = indexOf(bb);
        if (!k) continue;
        const base = blockStart[bb];
        for (const local of k.within(x[i], y[i], maxDist)) {
          const j = base + local;
          const dt = t[i] - t[j];
          if (!(dt > 0) || dt > maxDt) continue;
          const dx = x[i] - x[j], dy = y[i] - y[j], d2 = dx * dx + dy * dy;
          if (d2 <= r2) out.push(j, dt, d2);
        }
      }
      off[i + 1] = out.size;
    }
  }
  return { off, parent: out.parent.slice(0, out.size), dt: out.dt.slice(0, out.size), d2: out.d2.slice(0, out.size) };
}
