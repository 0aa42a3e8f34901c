/**
 * Submitting jobs and collecting their results: the API a grid or hyper-parameter search uses.
 *
 *   const jobs = await JobClient.connect({ redis: 'redis://…', store: 'postgres://…' });
 *   const ids = await jobs.submit('backtest', [{ data: { dataset: 'chi' }, testPeriods: 28, models: ['kde:bandwidth=300'] }, …]);
 *   const done = await jobs.wait(ids, { onProgress: (id, f) => … });   // id → { state, result, error, runs }
 *   await jobs.cancel(id);
 *   await jobs.close();
 *
 * Parameters are validated here against the kind's schema, so a bad grid point fails before it is queued.
 */
import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import type pg from 'pg';
import './kinds/all.js';
import { parseStoreLocation } from '../store/location.js';
import { connectPool } from '../store/postgres/pg-store.js';
import { UserError } from '../util/errors.js';
import { cancelKey, queueName, redisConnection } from './connection.js';
import { ensureJobSchema, FINAL_STATES, jobResults, jobRows, markCanceled, recordSubmitted, type JobRow, type JobState } from './job-db.js';
import { parseJobParams } from './kinds/registry.js';

export interface SubmitOptions {
  /** Job ids (default: random UUIDs). Resubmitting a known id is a no-op, so a restarted search does not redo work. */
  ids?: string[];
  /** Attempts including the first (default 3), with exponential backoff from `backoffMs` (default 1 s). */
  attempts?: number;
  backoffMs?: number;
  /** Lower runs first (BullMQ priority; default none). */
  priority?: number;
}

export interface JobOutcome extends JobRow {
  result?: unknown;
}

export class JobClient {
  private events: QueueEvents | null = null;
  private readonly listeners = new Set<(id: string, fraction: number, message: string) => void>();

  private constructor(readonly queue: Queue, private readonly pool: pg.Pool, private readonly redis: Redis, private readonly connection: ReturnType<typeof redisConnection>) {}

  static async connect(o: { redis?: string; store?: string; queue?: string }): Promise<JobClient> {
    const connection = redisConnection(o.redis);
    const loc = parseStoreLocation(o.store);
    if (loc.kind !== 'postgres') throw new UserError('jobs keep their results in PostgreSQL', 'pass --store postgres://USER@HOST/DB');
    const pool = await connectPool(loc.url, 2);
    await ensureJobSchema(pool);
    const queue = new Queue(queueName(o.queue), { connection });
    await queue.waitUntilReady();
    return new JobClient(queue, pool, new Redis((connection as { url: string }).url, { maxRetriesPerRequest: null }), connection);
  }

  async submit(kind: string, params: unknown[], o: SubmitOptions = {}): Promise<string[]> {
    const checked = params.map((p) => parseJobParams(kind, p));
    if (o.ids && o.ids.length !== params.length) throw new UserError(`${o.ids.length} ids for ${params.length} jobs`);
    const ids = o.ids ?? params.map(() => randomUUID());
    await recordSubmitted(this.pool, ids.map((id, i) => ({ id, kind, params: checked[i] })));
    await this.queue.addBulk(ids.map((jobId, i) => ({
      name: kind, data: checked[i],
      opts: { jobId, attempts: o.attempts ?? 3, backoff: { type: 'exponential', delay: o.backoffMs ?? 1000 }, priority: o.priority },
    })));
    return ids;
  }

  /** Progress events of running jobs (fraction in [0, 1]); subscribe before submitting to see every one. */
  async onProgress(fn: (id: string, fraction: number, message: string) => void): Promise<() => void> {
    if (!this.events) {
      this.events = new QueueEvents(this.queue.name, { connection: this.connection });
      this.events.on('progress', ({ jobId, data }) => {
        const d = data as { fraction?: number; message?: string };
        for (const l of this.listeners) l(jobId, d.fraction ?? 0, d.message ?? '');
      });
      await this.events.waitUntilReady();
    }
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Current state of each job: the database's view, with final failures reported by the queue folded in. */
  async status(ids: string[]): Promise<JobOutcome[]> {
    const rows = await jobRows(this.pool, ids);
    // a job failed by the queue itself (e.g. stalled too often) never reaches a processor's catch: look in the
    // queue's failed set, which is small, rather than asking for every job's state
    if (rows.some((r) => !FINAL_STATES.includes(r.state)) && (await this.queue.getFailedCount()) > 0) {
      const failed = new Map((await this.queue.getFailed(0, -1)).map((j) => [j.id, j.failedReason]));
      for (const r of rows) {
        if (FINAL_STATES.includes(r.state) || !failed.has(r.id)) continue;
        r.state = 'failed';
        r.error = failed.get(r.id) ?? r.error;
      }
    }
    return rows;
  }

  /** Wait until every job is completed, failed or canceled; results come from the database. */
  async wait(ids: string[], o: { timeoutMs?: number; pollMs?: number } = {}): Promise<Map<string, JobOutcome>> {
    const deadline = Date.now() + (o.timeoutMs ?? Infinity);
    for (;;) {
      const rows = await this.status(ids);
      if (rows.length === ids.length && rows.every((r) => FINAL_STATES.includes(r.state))) {
        const results = await jobResults(this.pool, ids);
        return new Map(rows.map((r) => [r.id, { ...r, result: results.get(r.id) }]));
      }
      if (Date.now() > deadline) {
        const open = rows.filter((r) => !FINAL_STATES.includes(r.state)).map((r) => `${r.id} ${r.state}`);
        throw new Error(`jobs still unfinished after ${o.timeoutMs} ms: ${open.slice(0, 5).join(', ')}${open.length > 5 ? ', …' : ''}`);
      }
      await new Promise((r) => setTimeout(r, o.pollMs ?? 200));
    }
  }

  /** Cancel a job: removed if still queued; stopped within a fraction of a second if running. Final jobs are left alone. */
  async cancel(id: string): Promise<JobState | undefined> {
    await this.redis.set(cancelKey(this.queue.name, id), '1', 'EX', 7 * 86_400);
    const job = await this.queue.getJob(id);
    const state = job ? await job.getState() : undefined;
    if (job && (state === 'waiting' || state === 'delayed' || state === 'prioritized')) {
      // remove() refuses a job a worker has just locked; then the worker sees the flag instead
      const removed = await job.remove().then(() => true, () => false);
      if (removed) await markCanceled(this.pool, id);
    }
    return (await jobRows(this.pool, [id]))[0]?.state;
  }

  async close(): Promise<void> {
    await this.events?.close();
    await this.queue.close();
    this.redis.disconnect();
    await this.pool.end();
  }
}

export type { JobRow, JobState } from './job-db.js';
