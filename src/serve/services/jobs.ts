/**
 * Long-running work (backtests) as jobs: started by a request, run one at a time in submission order (they are
 * CPU-bound; two at once would only slow both), polled for progress, kept for reading until evicted.
 */
import { HttpError } from '../http-error.js';

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface Job<R = unknown> {
  id: string;
  kind: string;
  owner: string;
  status: JobStatus;
  progress: number;
  message: string;
  created: string;
  started?: string;
  finished?: string;
  error?: string;
  result?: R;
  request: unknown;
}

export type JobWork<R> = (report: (fraction: number, message?: string) => void) => Promise<R>;

export class JobQueue {
  private jobs = new Map<string, Job>();
  private chain: Promise<unknown> = Promise.resolve();
  private seq = 0;
  /** Called with each job that finished (done or failed): the server saves it (saved-results.ts). */
  onFinished: ((job: Job) => void) | null = null;
  constructor(private readonly keep = 100) {}

  /** A job finished before a restart; later ids continue after its number so none is reused. */
  restore(job: Job): void {
    this.jobs.set(job.id, job);
    const n = Number(/-(\d+)$/.exec(job.id)?.[1] ?? 0);
    if (n > this.seq) this.seq = n;
    this.evict();
  }

  submit<R>(kind: string, owner: string, request: unknown, work: JobWork<R>): Job<R> {
    const job: Job<R> = { id: `${kind}-${++this.seq}`, kind, owner, status: 'queued', progress: 0, message: 'queued', created: new Date().toISOString(), request };
    this.jobs.set(job.id, job);
    this.evict();
    this.chain = this.chain.then(async () => {
      job.status = 'running'; job.started = new Date().toISOString(); job.message = 'running';
      try {
        job.result = await work((f, m) => { job.progress = Math.max(job.progress, Math.min(1, f)); if (m) job.message = m; });
        job.status = 'done'; job.progress = 1; job.message = 'done';
      } catch (e) {
        job.status = 'failed'; job.error = (e as Error).message; job.message = 'failed';
      }
      job.finished = new Date().toISOString();
      this.onFinished?.(job);
    });
    return job;
  }

  get<R = unknown>(id: string, kind: string): Job<R> {
    const j = this.jobs.get(id);
    if (!j || j.kind !== kind) throw new HttpError(404, `no ${kind} job "${id}"`, `GET /api/${kind}s lists them`);
    return j as Job<R>;
  }

  list(kind: string): Job[] {
    return [...this.jobs.values()].filter((j) => j.kind === kind).reverse();
  }

  /** Resolves when every job submitted so far has finished. */
  idle(): Promise<void> { return this.chain.then(() => undefined); }

  private evict(): void {
    for (const [id, j] of this.jobs) {
      if (this.jobs.size <= this.keep) break;
      if (j.status === 'done' || j.status === 'failed') this.jobs.delete(id);
    }
  }
}
