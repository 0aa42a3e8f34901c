/**
 * Probability calibration on validation data (never on the data the model was fitted to):
 * Platt scaling (a logistic fit on the logit of the score) and isotonic regression (pool-adjacent-violators).
 */
export interface Calibrator {
  readonly method: 'platt' | 'isotonic';
  apply(p: number): number;
}

const logit = (p: number) => Math.log(Math.max(p, 1e-7) / Math.max(1 - p, 1e-7));

/** Platt: P(y=1) = σ(a·logit(p) + b), fitted by Newton's method with Platt's smoothed targets. */
export function fitPlatt(p: ArrayLike<number>, y: ArrayLike<number>): Calibrator {
  const n = p.length;
  let pos = 0;
  for (let i = 0; i < n; i++) if (y[i] > 0) pos++;
  const hi = (pos + 1) / (pos + 2), lo = 1 / (n - pos + 2);
  let a = 1, b = 0;
  for (let it = 0; it < 100; it++) {
    let g1 = 0, g2 = 0, h11 = 0, h12 = 0, h22 = 0;
    for (let i = 0; i < n; i++) {
      const x = logit(p[i]), t = y[i] > 0 ? hi : lo;
      const q = 1 / (1 + Math.exp(-(a * x + b)));
      const w = Math.max(q * (1 - q), 1e-12);
      g1 += (q - t) * x; g2 += q - t;
      h11 += w * x * x; h12 += w * x; h22 += w;
    }
    h11 += 1e-9; h22 += 1e-9;
    const det = h11 * h22 - h12 * h12;
    const da = (h22 * g1 - h12 * g2) / det, db = (h11 * g2 - h12 * g1) / det;
    a -= da; b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-10) break;
  }
  return { method: 'platt', apply: (v) => 1 / (1 + Math.exp(-(a * logit(v) + b))) };
}

/** Isotonic regression of y on p (non-decreasing step function), by pool-adjacent-violators. */
export function fitIsotonic(p: ArrayLike<number>, y: ArrayLike<number>): Calibrator {
  const n = p.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => p[i] - p[j]);
  const xs: number[] = [], vs: number[] = [], ws: number[] = [];
  for (const i of order) {
    xs.push(p[i]); vs.push(y[i] > 0 ? 1 : 0); ws.push(1);
    // merge blocks while the newest violates monotonicity
    while (vs.length > 1 && vs[vs.length - 2] > vs[vs.length - 1]) {
      const w = ws[ws.length - 2] + ws[ws.length - 1];
      const v = (vs[vs.length - 2] * ws[ws.length - 2] + vs[vs.length - 1] * ws[ws.length - 1]) / w;
      vs.splice(-2, 2, v); ws.splice(-2, 2, w); xs.splice(-2, 2, xs[xs.length - 1]);
    }
  }
  // block upper bounds xs[k] with values vs[k]; interpolate between block ends like sklearn's 'clip'
  const ends = Float64Array.from(xs), vals = Float64Array.from(vs);
  return {
    method: 'isotonic',
    apply(v) {
      if (ends.length === 0) return v;
      if (v <= ends[0]) return vals[0];
      if (v >= ends[ends.length - 1]) return vals[vals.length - 1];
      let lo = 0, hi = ends.length - 1;
      while (hi - lo > 1) { const mid = (lo + hi) >> 1; if (ends[mid] <= v) lo = mid; else hi = mid; }
      const t = (v - ends[lo]) / (ends[hi] - ends[lo] || 1);
      return vals[lo] + t * (vals[hi] - vals[lo]);
    },
  };
}
