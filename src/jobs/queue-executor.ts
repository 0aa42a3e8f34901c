/**
 * A TrialExecutor over the job queue: each trial becomes a `trial` job (kinds/trial.ts) that any `crimecast worker`
 * scores against the same ValidationTask, and a batch resolves once every job is final. Results are matched to
 * trials by job id; a trial whose job failed or was canceled comes back as score = Infinity with the job's error,
 * as the executor contract asks (see evaluate/selection/executor.ts).
 */
import type { Trial, TrialExecutor, TrialResult } from '../evaluate/selection/executor.js';
import type { ValidationTask } from '../evaluate/selection/validation-task.js';
import type { JobClient } from './client.js';

export interface QueueExecutorOptions {
  client: JobClient;
  task: ValidationTask;
  /** Attempts per trial job (default 3: a worker dying mid-trial is retried; a failing model is not, it scores Infinity). */
  attempts?: number;
  /** Give up on a batch after this long (default: wait forever). */
  timeoutMs?: number;
  onTrial?: (result: TrialResult) => void;
}

export class QueueExecutor implements TrialExecutor {
  constructor(private readonly o: QueueExecutorOptions) {}

  async runTrials(trials: Trial[]): Promise<TrialResult[]> {
    if (trials.length === 0) return [];
    const { client, task } = this.o;
    const ids = await client.submit('trial', trials.map((trial) => ({ task, trial })), { attempts: this.o.attempts ?? 3 });
    const done = await client.wait(ids, { timeoutMs: this.o.timeoutMs });
    return trials.map((t, i) => {
      const job = done.get(ids[i]);
      const r = job?.state === 'completed' ? (job.result as TrialResult | undefined) : undefined;
      const out: TrialResult = r && r.id === t.id
        // JSON has no Infinity: a failed model's score is stored as null
        ? { ...r, score: typeof r.score === 'number' ? r.score : Infinity }
        : { id: t.id, spec: t.spec, periods: t.periods, score: Infinity, seconds: 0, error: `trial job ${ids[i]} ${job?.state ?? 'missing'}${job?.error ? `: ${job.error}` : ''}` };
      this.o.onTrial?.(out);
      return out;
    });
  }
}
