/** What a feature-based learner must offer to become a forecaster (trees, GLMs, SVM, k-NN, naive Bayes, MLP). */
export interface LearnerFitOptions {
  sampleWeight?: Float32Array;
  seed?: number;
}

export interface Learner {
  /** Regression on counts ('count') or probability of ≥ 1 event ('occurrence'). */
  readonly target: 'count' | 'occurrence';
  fit(X: Float32Array, nRows: number, nCols: number, y: Float32Array, opts?: LearnerFitOptions): void | Promise<void>;
  /** Expected count (count target) or P(y ≥ 1) (occurrence target) per row. */
  predict(X: Float32Array, nRows: number): Float32Array;
}
