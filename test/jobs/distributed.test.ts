/**
 * The job queue against real servers: three `crimecast worker` processes (the compiled CLI), backtest jobs on a
 * synthetic city and on a stored dataset, one worker SIGKILLed mid-job, cancellation of running and queued jobs,
 * and a retry that succeeds once the data it needs has been ingested.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { JobClient } from '../../src/jobs/client.js';
import { openIncidentStore } from '../../src/store/open.js';
import { REPO_ROOT } from '../helpers.js';
import { describeWithServices, freshSchema, serviceUrl } from '../store/services.js';

const CLI = join(REPO_ROOT, 'bin', 'crimecast.js');
const SAMPLE = join(REPO_ROOT, 'data/sample/chicago_2017_09_12.csv');
const small = (seed: number, model: string) => ({
  data: { synthetic: { incidents: 3000, days: 60, seed } }, units: 'grid:2000', period: 'day', testPeriods: 10, bootstrap: 50, models: [model],
});
// a few seconds of KDE fits: long enough to be killed or cancelled mid-way
const long = (testPeriods: number) => ({
  data: { synthetic: { incidents: 20000, days: 120, seed: 2 } }, units: 'grid:1000', period: 'day', testPeriods, bootstrap: 50, models: ['kde:bandwidth=300'],
});

describeWithServices('distributed jobs (Redis queue, PostgreSQL results, worker processes)', ['CRIMECAST_TEST_PG_URL', 'CRIMECAST_TEST_REDIS_URL'], () => {
  const redis = serviceUrl('CRIMECAST_TEST_REDIS_URL')!;
  const queue = `cc-test-${process.pid}-${Date.now().toString(36)}`;
  const workers = new Map<string, { child: ChildProcess; log: string[] }>();
  let store: string, drop: () => Promise<void>, client: JobClient;
  const progress: { id: string; fraction: number }[] = [];

  function startWorker(name: string): Promise<void> {
    const child = spawn(process.execPath, [CLI, 'worker', '--redis', redis, '--store', store, '--queue', queue, '--lock-ms', '2000', '--name', name],
      { stdio: ['ignore', 'ignore', 'pipe'] });
    const log: string[] = [];
    workers.set(name, { child, log });
    return new Promise((resolve, reject) => {
      child.stderr!.setEncoding('utf8').on('data', (s: string) => {
        log.push(s);
        if (s.includes('ready on queue')) resolve();
      });
      child.on('exit', (code, sig) => reject(new Error(`worker ${name} exited (${code ?? sig}) before it was ready: ${log.join('')}`)));
    });
  }

  async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
    const c = new pg.Client({ connectionString: store });
    await c.connect();
    try { return (await c.query(text, params)).rows as T[]; } finally { await c.end(); }
  }

  async function until(what: string, cond: () => Promise<boolean> | boolean, ms = 30_000): Promise<void> {
    const end = Date.now() + ms;
    while (!(await cond())) {
      if (Date.now() > end) throw new Error(`timed out waiting until ${what}; worker logs:\n${[...workers].map(([n, w]) => `${n}: ${w.log.join('')}`).join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  beforeAll(async () => {
    if (!existsSync(join(REPO_ROOT, 'dist', 'cli', 'commands', 'worker.js'))) throw new Error('build first (npx tsc -p .): the workers run the compiled CLI');
    ({ url: store, drop } = await freshSchema(serviceUrl('CRIMECAST_TEST_PG_URL')!, 'jobs'));
    client = await JobClient.connect({ redis, store, queue });
    await client.onProgress((id, fraction) => progress.push({ id, fraction }));
    await Promise.all(['w0', 'w1', 'w2'].map(startWorker));
  });

  afterAll(async () => {
    for (const w of workers.values()) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await client?.queue.obliterate({ force: true }).catch(() => undefined);
    await client?.close();
    await drop?.();
  });

  it('completes every job exactly once when a worker is SIGKILLed mid-job, reporting progress', async () => {
    const ids = await client.submit('backtest', [long(8), ...[1, 2, 3, 4, 5, 6].map((s) => small(s, s % 2 ? 'historical-average' : 'moving-average:window=7'))]);
    const victimJob = ids[0];
    // kill the worker running the long job once it has reported progress part-way
    await until('the long job reports progress', () => progress.some((p) => p.id === victimJob && p.fraction > 0 && p.fraction < 1));
    const [{ worker: victim }] = await sql<{ worker: string }>('SELECT worker FROM job_runs WHERE job_id = $1 ORDER BY run_id DESC LIMIT 1', [victimJob]);
    workers.get(victim)!.child.kill('SIGKILL');

    const done = await client.wait(ids, { timeoutMs: 60_000 });
    expect([...done.values()].map((d) => d.state)).toEqual(ids.map(() => 'completed'));
    // exactly one stored result per job, whatever the number of runs
    const stored = await sql<{ job_id: string; n: string }>('SELECT job_id, count(*) AS n FROM job_results WHERE job_id = ANY($1) GROUP BY job_id', [ids]);
    expect(stored.length).toBe(ids.length);
    expect(stored.every((r) => Number(r.n) === 1)).toBe(true);
    // the killed run never finished; another worker took the job over and its result is the one kept
    const runs = await sql<{ worker: string; outcome: string | null }>('SELECT worker, outcome FROM job_runs WHERE job_id = $1 ORDER BY run_id', [victimJob]);
    expect(runs[0]).toEqual({ worker: victim, outcome: null });
    expect(runs.at(-1)!.outcome).toBe('completed');
    expect(runs.at(-1)!.worker).not.toBe(victim);
    const [{ worker: keptBy }] = await sql<{ worker: string }>('SELECT worker FROM job_results WHERE job_id = $1', [victimJob]);
    expect(keptBy).not.toBe(victim);
    // real leaderboards: every model scored with a CI around its value
    for (const id of ids) {
      const r = done.get(id)!.result as { testPeriods: number; models: { spec: string; metrics: Record<string, { value: number; lo: number; hi: number }> }[] };
      const mae = r.models[0].metrics['MAE/all'];
      expect(mae.value).toBeGreaterThan(0);
      expect(r.testPeriods).toBe(id === victimJob ? 8 : 10);
      if (r.testPeriods >= 10) {
        expect(mae.lo).toBeLessThanOrEqual(mae.value);
        expect(mae.hi).toBeGreaterThanOrEqual(mae.value);
      } else {
        // fewer than 10 test periods: no bootstrap interval is given (JSON carries NaN as null)
        expect(mae.lo ?? NaN).toBeNaN();
      }
    }
    // progress: every job reached 1, and the long one reported intermediate fractions too
    for (const id of ids) expect(progress.some((p) => p.id === id && p.fraction === 1)).toBe(true);
    expect(progress.filter((p) => p.id === victimJob && p.fraction < 1).length).toBeGreaterThan(1);
  });

  it('cancels running and queued jobs without retrying them', async () => {
    const live = [...workers.values()].filter((w) => w.child.exitCode === null && w.child.signalCode === null).length;
    expect(live).toBe(2);
    const ids = await client.submit('backtest', [long(40), long(41), long(42)]);
    await until('two jobs are running', async () => (await client.status(ids)).filter((s) => s.state === 'running').length === 2);
    const queued = (await client.status(ids)).find((s) => s.state === 'queued')!.id;
    expect(await client.cancel(queued)).toBe('canceled');
    for (const id of ids.filter((i) => i !== queued)) {
      await until(`job ${id} reports progress`, () => progress.some((p) => p.id === id && p.fraction > 0));
      await client.cancel(id);
    }
    const t0 = Date.now();
    const done = await client.wait(ids, { timeoutMs: 10_000 });
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect([...done.values()].map((d) => d.state)).toEqual(['canceled', 'canceled', 'canceled']);
    expect([...done.values()].every((d) => d.result === undefined)).toBe(true);
    expect(done.get(queued)!.runs).toBe(0);
    const runs = await sql<{ job_id: string; outcome: string }>('SELECT job_id, outcome FROM job_runs WHERE job_id = ANY($1)', [ids]);
    expect(runs.map((r) => r.outcome)).toEqual(['canceled', 'canceled']);
    // the workers are free again: a new job completes
    const [after] = await client.submit('backtest', [small(9, 'historical-average')]);
    expect((await client.wait([after], { timeoutMs: 20_000 })).get(after)!.state).toBe('completed');
  });

  it('retries a failed job and succeeds once its data exists; rejects bad parameters before queueing', async () => {
    const [id] = await client.submit('backtest', [{ data: { dataset: 'late' }, units: 'grid:2000', period: 'day', testPeriods: 7, bootstrap: 50, models: ['historical-average'] }],
      { attempts: 3, backoffMs: 3000 });
    await until('the first attempt fails', async () => (await sql('SELECT 1 FROM job_runs WHERE job_id = $1 AND outcome = $2', [id, 'failed'])).length > 0);
    expect((await client.status([id]))[0].state).toBe('retrying');
    const s = await openIncidentStore(store);
    await s.ingestFile(SAMPLE, { preset: 'stshn-chicago', dataset: 'late', rejectsPath: join(tmpdir(), `cc-late-${process.pid}.rejects.jsonl`) });
    await s.close();
    const done = (await client.wait([id], { timeoutMs: 30_000 })).get(id)!;
    expect(done.state).toBe('completed');
    expect(done.runs).toBe(2);
    const runs = await sql<{ outcome: string; error: string | null }>('SELECT outcome, error FROM job_runs WHERE job_id = $1 ORDER BY run_id', [id]);
    expect(runs.map((r) => r.outcome)).toEqual(['failed', 'completed']);
    expect(runs[0].error).toMatch(/no incidents/);
    expect((done.result as { regions: number }).regions).toBeGreaterThan(100);

    await expect(client.submit('backtest', [{ data: { dataset: 'late' }, testPeriods: 7, models: ['no-such-model'] }])).rejects.toThrow(/bad parameters for a backtest job: models\.0/);
    await expect(client.submit('backtest', [{ data: { dataset: 'late' }, models: ['persistence'] }])).rejects.toThrow(/exactly one of testFrom and testPeriods/);
  });
});
