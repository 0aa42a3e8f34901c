/**
 * Job bookkeeping and results in PostgreSQL (the store's database). `jobs` has one row per job id: its kind,
 * parameters, state and progress; `job_results` holds at most one result per job id (the primary key makes a
 * second completion of the same job — a worker that was presumed dead but finished anyway — a no-op, which is
 * what makes completion exactly-once even though the queue delivers at least once); `job_runs` records every
 * attempt, so retries and take-overs after a worker died are visible.
 */
import type pg from 'pg';

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS jobs (
     job_id text PRIMARY KEY,
     kind text NOT NULL,
     params jsonb NOT NULL,
     state text NOT NULL,            -- queued | running | retrying | completed | failed | canceled
     progress double precision NOT NULL DEFAULT 0,
     message text,
     error text,
     submitted_at timestamptz NOT NULL DEFAULT now(),
     finished_at timestamptz)`,
  `CREATE TABLE IF NOT EXISTS job_results (
     job_id text PRIMARY KEY REFERENCES jobs (job_id) ON DELETE CASCADE,
     result jsonb NOT NULL,
     worker text NOT NULL,
     run_id bigint NOT NULL,
     stored_at timestamptz NOT NULL DEFAULT now())`,
  `CREATE TABLE IF NOT EXISTS job_runs (
     run_id bigserial PRIMARY KEY,
     job_id text NOT NULL REFERENCES jobs (job_id) ON DELETE CASCADE,
     worker text NOT NULL,
     started_at timestamptz NOT NULL DEFAULT now(),
     finished_at timestamptz,
     outcome text,                   -- completed | duplicate | failed | canceled (null while running or if the worker died)
     error text)`,
  'CREATE INDEX IF NOT EXISTS job_runs_job_idx ON job_runs (job_id)',
];
const JOB_SCHEMA_LOCK = 0x63636a62;

export type JobState = 'queued' | 'running' | 'retrying' | 'completed' | 'failed' | 'canceled';
export const FINAL_STATES: readonly JobState[] = ['completed', 'failed', 'canceled'];

export async function ensureJobSchema(pool: pg.Pool): Promise<void> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    await c.query('SELECT pg_advisory_xact_lock($1)', [JOB_SCHEMA_LOCK]);
    for (const sql of SCHEMA) await c.query(sql);
    await c.query('COMMIT');
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}

/** Register jobs before they are queued (an id already known keeps its row: resubmitting is idempotent). */
export async function recordSubmitted(pool: pg.Pool, jobs: { id: string; kind: string; params: unknown }[]): Promise<void> {
  if (!jobs.length) return;
  await pool.query(
    `INSERT INTO jobs (job_id, kind, params, state)
     SELECT * , 'queued' FROM unnest($1::text[], $2::text[], $3::jsonb[])
     ON CONFLICT (job_id) DO NOTHING`,
    [jobs.map((j) => j.id), jobs.map((j) => j.kind), jobs.map((j) => JSON.stringify(j.params))]);
}

export async function recordRunStart(pool: pg.Pool, jobId: string, worker: string): Promise<number> {
  await pool.query(`UPDATE jobs SET state = 'running' WHERE job_id = $1 AND state NOT IN ('completed', 'canceled')`, [jobId]);
  const r = await pool.query('INSERT INTO job_runs (job_id, worker) VALUES ($1, $2) RETURNING run_id', [jobId, worker]);
  return Number(r.rows[0].run_id);
}

export async function recordProgress(pool: pg.Pool, jobId: string, fraction: number, message?: string): Promise<void> {
  await pool.query(`UPDATE jobs SET progress = $2, message = $3 WHERE job_id = $1 AND state = 'running'`, [jobId, fraction, message ?? null]);
}

/** Store the result unless the job already has one; true when this run's result is the one kept. */
export async function storeResult(pool: pg.Pool, jobId: string, runId: number, worker: string, result: unknown): Promise<boolean> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    const ins = await c.query(
      'INSERT INTO job_results (job_id, result, worker, run_id) VALUES ($1, $2, $3, $4) ON CONFLICT (job_id) DO NOTHING',
      [jobId, JSON.stringify(result), worker, runId]);
    const kept = ins.rowCount === 1;
    if (kept) await c.query(`UPDATE jobs SET state = 'completed', progress = 1, error = NULL, finished_at = now() WHERE job_id = $1`, [jobId]);
    await c.query(`UPDATE job_runs SET finished_at = now(), outcome = $2 WHERE run_id = $1`, [runId, kept ? 'completed' : 'duplicate']);
    await c.query('COMMIT');
    return kept;
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}

export async function recordRunEnd(pool: pg.Pool, jobId: string, runId: number, state: 'retrying' | 'failed' | 'canceled', error: string): Promise<void> {
  // the job's state first: whoever sees the run ended then sees the job's new state too
  await pool.query(
    `UPDATE jobs SET state = $2, error = $3, finished_at = CASE WHEN $2 = 'retrying' THEN NULL ELSE now() END
     WHERE job_id = $1 AND state <> 'completed'`, [jobId, state, error]);
  await pool.query(`UPDATE job_runs SET finished_at = now(), outcome = $2, error = $3 WHERE run_id = $1`,
    [runId, state === 'retrying' ? 'failed' : state, error]);
}

export async function markCanceled(pool: pg.Pool, jobId: string): Promise<void> {
  await pool.query(`UPDATE jobs SET state = 'canceled', finished_at = now() WHERE job_id = $1 AND state NOT IN ('completed', 'failed')`, [jobId]);
}

export interface JobRow {
  id: string;
  kind: string;
  state: JobState;
  progress: number;
  message: string | null;
  error: string | null;
  /** Attempts started (every worker that picked it up, including ones that died). */
  runs: number;
}

export async function jobRows(pool: pg.Pool, ids: string[]): Promise<JobRow[]> {
  const r = await pool.query(
    `SELECT j.job_id, j.kind, j.state, j.progress, j.message, j.error, (SELECT count(*) FROM job_runs r WHERE r.job_id = j.job_id) AS runs
     FROM jobs j WHERE j.job_id = ANY($1::text[])`, [ids]);
  const byId = new Map(r.rows.map((x) => [x.job_id as string, x]));
  return ids.filter((id) => byId.has(id)).map((id) => {
    const x = byId.get(id)!;
    return { id, kind: x.kind, state: x.state, progress: x.progress, message: x.message, error: x.error, runs: Number(x.runs) };
  });
}

export async function jobResults(pool: pg.Pool, ids: string[]): Promise<Map<string, unknown>> {
  const r = await pool.query('SELECT job_id, result FROM job_results WHERE job_id = ANY($1::text[])', [ids]);
  return new Map(r.rows.map((x) => [x.job_id as string, x.result]));
}
