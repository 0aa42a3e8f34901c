/**
 * A job worker: takes jobs from the Redis queue (BullMQ) and runs each in a thread, with results and bookkeeping in
 * PostgreSQL. Delivery is at least once — a job whose worker dies is taken over by another once its lock expires —
 * and the result table's primary key makes completion exactly once. Cancellation is a Redis flag polled while the
 * job runs (the thread is terminated at once); retries follow the job's attempts/backoff; progress goes to the queue
 * (QueueEvents 'progress') and to the jobs table.
 */
import { hostname } from 'node:os';
import { Worker, UnrecoverableError, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { parseStoreLocation } from '../store/location.js';
import { connectPool } from '../store/postgres/pg-store.js';
import { UserError } from '../util/errors.js';
import { cancelKey, queueName, redisConnection } from './connection.js';
import { ensureJobSchema, recordProgress, recordRunEnd, recordRunStart, storeResult } from './job-db.js';
import { JobInputError, JobThread } from './job-thread.js';

export interface WorkerOptions {
  redis?: string;
  /** Queue name (default $CRIMECAST_QUEUE or crimecast-jobs). */
  queue?: string;
  /** postgres:// URL: results go there, and jobs that read a dataset default to it. */
  store?: string;
  /** Jobs run at once by this process (one thread each). Default 1. */
  concurrency?: number;
  /** Queue lock duration: how long before a silent worker's job is taken over. Default 30 s. */
  lockMs?: number;
  name?: string;
  /** Called with one line per job event (no job parameters or data: they can name datasets, never records). */
  log?: (line: string) => void;
}

export interface RunningWorker {
  readonly name: string;
  readonly queue: string;
  close(): Promise<void>;
}

const CANCEL_POLL_MS = 200;
const PROGRESS_EVERY_MS = 250;

export async function startJobWorker(o: WorkerOptions): Promise<RunningWorker> {
  const connection = redisConnection(o.redis);
  const queue = queueName(o.queue);
  const loc = parseStoreLocation(o.store);
  if (loc.kind !== 'postgres') throw new UserError('a job worker needs a PostgreSQL store for results', 'pass --store postgres://USER@HOST/DB (or set CRIMECAST_STORE)');
  const pool: pg.Pool = await connectPool(loc.url, 4);
  await ensureJobSchema(pool);
  const name = o.name ?? `${hostname()}:${process.pid}`;
  const log = o.log ?? (() => undefined);
  const concurrency = o.concurrency ?? 1;
  const threads = Array.from({ length: concurrency }, () => ({ thread: new JobThread({ store: loc.url }), busy: false }));
  const redis = new Redis((connection as { url: string }).url, { maxRetriesPerRequest: null });
  const lockMs = o.lockMs ?? 30_000;

  const processor = async (job: Job) => {
    const id = job.id!;
    const runId = await recordRunStart(pool, id, name);
    // BullMQ never runs more than `concurrency` processors at once, so a free slot exists
    const slot = threads.find((t) => !t.busy)!;
    slot.busy = true;
    log(`start ${id} (${job.name}, run ${runId}, attempt ${job.attemptsMade + 1}/${job.opts.attempts ?? 1})`);
    let canceled = false;
    const cancel = async () => {
      if (canceled || !(await redis.exists(cancelKey(queue, id)))) return;
      canceled = true;
      await slot.thread.kill(new Error('canceled'));
    };
    let lastProgress = 0;
    const poll = setInterval(() => { void cancel().catch(() => undefined); }, CANCEL_POLL_MS);
    try {
      await cancel();
      if (canceled) throw new Error('canceled');
      const result = await slot.thread.run(job.name, job.data, (fraction, message) => {
        const now = Date.now();
        if (now - lastProgress < PROGRESS_EVERY_MS && fraction < 1) return;
        lastProgress = now;
        void job.updateProgress({ fraction, message: message ?? '' }).catch(() => undefined);
        void recordProgress(pool, id, fraction, message).catch(() => undefined);
      });
      const kept = await storeResult(pool, id, runId, name, result);
      log(`${kept ? 'completed' : 'duplicate (result already stored by another run)'} ${id}`);
      return { kept, runId };
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (canceled) {
        await recordRunEnd(pool, id, runId, 'canceled', 'canceled on request');
        log(`canceled ${id}`);
        throw new UnrecoverableError('canceled on request');
      }
      const final = e instanceof JobInputError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      await recordRunEnd(pool, id, runId, final ? 'failed' : 'retrying', msg);
      log(`${final ? 'failed' : 'failed, will retry'} ${id}: ${msg}`);
      throw e instanceof JobInputError ? new UnrecoverableError(msg) : e;
    } finally {
      clearInterval(poll);
      slot.busy = false;
    }
  };

  const worker = new Worker(queue, processor, {
    connection, concurrency, name, lockDuration: lockMs, stalledInterval: Math.max(500, Math.round(lockMs / 2)),
    // a job whose worker died is taken over; twice more is allowed before it is failed as poisonous
    maxStalledCount: 2,
    removeOnComplete: { age: 7 * 86_400 }, removeOnFail: { age: 30 * 86_400 },
  });
  worker.on('error', (e) => log(`queue error: ${e.message}`));
  await worker.waitUntilReady();
  log(`worker ${name} ready on queue ${queue} (concurrency ${concurrency}, lock ${lockMs} ms)`);
  return {
    name, queue,
    async close() {
      await worker.close();
      for (const t of threads) await t.thread.close();
      redis.disconnect();
      await pool.end();
    },
  };
}
