/**
 * Boosting losses as Newton statistics on the raw score F (the margin): per-row gradient g and hessian h
 * of the weighted loss, the constant initial score, the inverse link and the mean loss for early stopping.
 */
export type Objective = 'squared_error' | 'poisson' | 'binary';

export interface ObjectiveFns {
  /** Best constant score for weighted targets. */
  init(y: Float32Array, w: Float64Array, rows: Uint32Array, n: number): number;
  /**
   * Writes g and h at the margin F and returns the mean loss there (exactly `loss` on the same rows): boosting
   * records the training loss of the previous round from this pass instead of a second pass of exp() per row.
   */
  gradients(y: Float32Array, w: Float64Array, F: Float64Array, g: Float64Array, h: Float64Array, rows: Uint32Array, n: number): number;
  /** Weighted mean loss over the rows (up to a constant), lower is better. */
  loss(y: Float32Array, w: Float64Array, F: Float64Array, rows: Uint32Array, n: number): number;
  /** Margin → mean response. */
  inverseLink(f: number): number;
}

const weightedMean = (y: Float32Array, w: Float64Array, rows: Uint32Array, n: number): number => {
  let sy = 0, sw = 0;
  for (let k = 0; k < n; k++) { const r = rows[k]; sy += w[r] * y[r]; sw += w[r]; }
  return sw > 0 ? sy / sw : 0;
};

// bounds on the margin so exp() stays finite on hopeless rows
/** log(1 + e^f) without overflow. */
const softplus = (f: number): number => (f > 0 ? f + Math.log1p(Math.exp(-f)) : Math.log1p(Math.exp(f)));

const clampMargin = (f: number): number => (f > 30 ? 30 : f < -30 ? -30 : f);

export const OBJECTIVES: Record<Objective, ObjectiveFns> = {
  squared_error: {
    init: weightedMean,
    gradients(y, w, F, g, h, rows, n) {
      let s = 0, sw = 0;
      for (let k = 0; k < n; k++) {
        const r = rows[k], e = y[r] - F[r];
        g[r] = w[r] * (F[r] - y[r]); h[r] = w[r];
        s += w[r] * e * e; sw += w[r];
      }
      return sw > 0 ? s / sw : 0;
    },
    loss(y, w, F, rows, n) {
      let s = 0, sw = 0;
      for (let k = 0; k < n; k++) { const r = rows[k], e = y[r] - F[r]; s += w[r] * e * e; sw += w[r]; }
      return sw > 0 ? s / sw : 0;
    },
    inverseLink: (f) => f,
  },
  // log link: mean = exp(F); loss = exp(F) − y·F (the Poisson deviance up to terms free of F)
  poisson: {
    init: (y, w, rows, n) => Math.log(Math.max(weightedMean(y, w, rows, n), 1e-12)),
    gradients(y, w, F, g, h, rows, n) {
      let s = 0, sw = 0;
      for (let k = 0; k < n; k++) {
        const r = rows[k], f = clampMargin(F[r]), mu = Math.exp(f);
        g[r] = w[r] * (mu - y[r]); h[r] = w[r] * mu;
        s += w[r] * (mu - y[r] * f); sw += w[r];
      }
      return sw > 0 ? s / sw : 0;
    },
    loss(y, w, F, rows, n) {
      let s = 0, sw = 0;
      for (let k = 0; k < n; k++) { const r = rows[k], f = clampMargin(F[r]); s += w[r] * (Math.exp(f) - y[r] * f); sw += w[r]; }
      return sw > 0 ? s / sw : 0;
    },
    inverseLink: (f) => Math.exp(clampMargin(f)),
  },
  // logit link: P(y = 1) = 1 / (1 + exp(−F)); loss = log(1 + exp(F)) − y·F
  binary: {
    init(y, w, rows, n) {
      const p = Math.min(Math.max(weightedMean(y, w, rows, n), 1e-12), 1 - 1e-12);
      return Math.log(p / (1 - p));
    },
    gradients(y, w, F, g, h, rows, n) {
      let s = 0, sw = 0;
      for (let k = 0; k < n; k++) {
        const r = rows[k], f = F[r], p = 1 / (1 + Math.exp(-clampMargin(f)));
        g[r] = w[r] * (p - y[r]); h[r] = w[r] * p * (1 - p);
        s += w[r] * (softplus(f) - y[r] * f); sw += w[r];
      }
      return sw > 0 ? s / sw : 0;
    },
    loss(y, w, F, rows, n) {
      let s = 0, sw = 0;
      for (let k = 0; k < n; k++) { const r = rows[k], f = F[r]; s += w[r] * (softplus(f) - y[r] * f); sw += w[r]; }
      return sw > 0 ? s / sw : 0;
    },
    inverseLink: (f) => 1 / (1 + Math.exp(-clampMargin(f))),
  },
};
