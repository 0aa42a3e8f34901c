/**
 * How hyper-parameter searches run their trials. A search (search.ts) only ever calls `runTrials` with a batch of
 * independent trials and waits for all results; where and how they run is the executor's business:
 * - LocalExecutor (local-executor.ts): in this process, or on worker_threads via the backtest's runBacktests;
 * - a queue-backed executor (e.g. Redis/BullMQ) can post each Trial as a job — trials are plain JSON — and have
 *   workers score them against the same ValidationTask (validation-task.ts, also plain JSON), resolving when every
 *   result is back. Results may come back in any order; they are matched by `id`.
 *
 * Contract: one TrialResult per Trial, same `id`; a trial that fails returns score = Infinity with `error` set
 * (the search then ranks it last) rather than rejecting the whole batch.
 */

export interface Trial {
  /** Unique within a search. */
  id: number;
  /** Full model spec of the configuration, e.g. "moving-average:window=31". */
  spec: string;
  /** Validation periods to score: the last `periods` periods before the end of the validation span. */
  periods: number;
}

export interface TrialResult {
  id: number;
  spec: string;
  periods: number;
  /** Mean validation loss per scored cell (lower is better); Infinity when the trial failed. */
  score: number;
  seconds: number;
  error?: string;
}

export interface TrialExecutor {
  runTrials(trials: Trial[]): Promise<TrialResult[]>;
}
