/**
 * Hyper-parameter search over the job queue: successive halving whose trials are `trial` jobs scored by two
 * `crimecast worker` processes gives exactly the LocalExecutor's trials, scores and winner on the same task.
 * The task's data is a tiny ST-HSL-format benchmark (3×3 cells, 71 days) written here with a fixed seed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import '../../src/models/all.js';
import { LocalExecutor } from '../../src/evaluate/selection/local-executor.js';
import { paramSpace, parseParamRange } from '../../src/evaluate/selection/param-space.js';
import { successiveHalving } from '../../src/evaluate/selection/search.js';
import { loadValidationData, type ValidationTask } from '../../src/evaluate/selection/validation-task.js';
import { STSHN_TENSORS } from '../../src/evaluate/protocols/stshn-data.js';
import { JobClient } from '../../src/jobs/client.js';
import { QueueExecutor } from '../../src/jobs/queue-executor.js';
import { writeNpy } from '../../src/tensor/npy.js';
import { Rng } from '../../src/util/rng.js';
import { REPO_ROOT } from '../helpers.js';
import { describeWithServices, freshSchema, serviceUrl } from '../store/services.js';

const CLI = join(REPO_ROOT, 'bin', 'crimecast.js');

/** (rows, cols, days, 4) Poisson counts with a fixed rate per cell and category and a weekly cycle. */
function writeTinyBenchmark(root: string): void {
  const dir = join(root, STSHN_TENSORS);
  mkdirSync(dir, { recursive: true });
  const rows = 3, cols = 3, C = 4, rng = new Rng(7);
  const rate = Float64Array.from({ length: rows * cols * C }, () => 0.2 + 3 * rng.random());
  let day0 = 0;
  for (const [split, D] of [['trn', 50], ['val', 14], ['tst', 7]] as const) {
    const a = new Float32Array(rows * cols * D * C);
    for (let r = 0; r < rows * cols; r++) {
      for (let d = 0; d < D; d++) {
        const week = 1 + 0.4 * Math.sin((2 * Math.PI * (day0 + d)) / 7);
        for (let c = 0; c < C; c++) a[(r * D + d) * C + c] = rng.poisson(rate[r * C + c] * week);
      }
    }
    writeNpy(join(dir, `${split}.npy`), a, [rows, cols, D, C]);
    day0 += D;
  }
}

describeWithServices('tune over the job queue (trial jobs on worker processes)', ['CRIMECAST_TEST_PG_URL', 'CRIMECAST_TEST_REDIS_URL'], () => {
  const redis = serviceUrl('CRIMECAST_TEST_REDIS_URL')!;
  const queue = `cc-tune-${process.pid}-${Date.now().toString(36)}`;
  const children: ChildProcess[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'cc-tune-queue-'));
  let store: string, drop: () => Promise<void>, client: JobClient;

  function startWorker(name: string): Promise<void> {
    const child = spawn(process.execPath, [CLI, 'worker', '--redis', redis, '--store', store, '--queue', queue, '--name', name], { stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(child);
    const log: string[] = [];
    return new Promise((res, rej) => {
      child.stderr!.setEncoding('utf8').on('data', (s: string) => {
        log.push(s);
        if (s.includes('ready on queue')) res();
      });
      child.on('exit', (code, sig) => rej(new Error(`worker ${name} exited (${code ?? sig}) before it was ready: ${log.join('')}`)));
    });
  }

  beforeAll(async () => {
    if (!existsSync(join(REPO_ROOT, 'dist', 'jobs', 'kinds', 'trial.js'))) throw new Error('build first (npx tsc -p .): the workers run the compiled CLI');
    writeTinyBenchmark(dataDir);
    ({ url: store, drop } = await freshSchema(serviceUrl('CRIMECAST_TEST_PG_URL')!, 'tune'));
    client = await JobClient.connect({ redis, store, queue });
    await Promise.all(['t0', 't1'].map(startWorker));
  }, 20_000);

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await client?.queue.obliterate({ force: true }).catch(() => undefined);
    await client?.close();
    await drop?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('successive halving on two workers reproduces the local search exactly', async () => {
    const task: ValidationTask = { protocol: 'st-hsl', dataDir, models: ['moving-average'], metric: 'logscore', refitEvery: 3, seed: 1 };
    const vd = await loadValidationData(task);
    expect([vd.valEnd, vd.validationPeriods]).toEqual([64, 14]);
    const space = paramSpace('moving-average', [parseParamRange('window=2..40'), parseParamRange('dist=poisson|negbin')]);
    const search = { budget: 9, maxPeriods: vd.validationPeriods, minPeriods: 4, eta: 3, seed: 3 };

    const local = await successiveHalving(space, { ...search, executor: new LocalExecutor({ data: vd.data, valEnd: vd.valEnd, metric: task.metric, refitEvery: task.refitEvery, seed: task.seed }) });
    const seen: number[] = [];
    const remote = await successiveHalving(space, { ...search, executor: new QueueExecutor({ client, task, timeoutMs: 25_000, onTrial: (r) => seen.push(r.id) }) });

    expect(remote.rungs).toEqual([{ configs: 9, periods: 5 }, { configs: 3, periods: 14 }]);
    expect(remote.rungs).toEqual(local.rungs);
    expect(remote.trials.map((t) => [t.id, t.spec, t.periods, t.error])).toEqual(local.trials.map((t) => [t.id, t.spec, t.periods, t.error]));
    for (const [k, t] of remote.trials.entries()) {
      expect(Number.isFinite(t.score)).toBe(true);
      expect(Math.abs(t.score - local.trials[k].score)).toBeLessThan(1e-9);
    }
    expect(remote.best.spec).toBe(local.best.spec);
    // the scores are real and differ between configurations: the search had something to choose
    expect(new Set(local.trials.map((t) => t.score.toFixed(6))).size).toBeGreaterThan(3);
    expect(seen.sort((a, b) => a - b)).toEqual(remote.trials.map((t) => t.id).sort((a, b) => a - b));

    // every trial really went through the queue: one completed trial job each, results stored in PostgreSQL
    const c = new pg.Client({ connectionString: store });
    await c.connect();
    try {
      const rows = (await c.query(`SELECT state, count(*)::int AS n FROM jobs WHERE kind = 'trial' GROUP BY state`)).rows;
      expect(rows).toEqual([{ state: 'completed', n: remote.trials.length }]);
    } finally {
      await c.end();
    }
  }, 30_000);
  it('reports a failing trial as score = Infinity with its error, like the local executor', async () => {
    // the task loads no incidents (only moving-average needs serving), so a point-process model cannot fit
    const task: ValidationTask = { protocol: 'st-hsl', dataDir, models: ['moving-average'], metric: 'mae', refitEvery: 7, seed: 1 };
    const vd = await loadValidationData(task);
    const trials = [{ id: 1, spec: 'moving-average:window=7', periods: 3 }, { id: 2, spec: 'kde:bandwidth=300', periods: 3 }];
    const local = await new LocalExecutor({ data: vd.data, valEnd: vd.valEnd, metric: task.metric, refitEvery: task.refitEvery, seed: task.seed }).runTrials(trials);
    const remote = await new QueueExecutor({ client, task, attempts: 1, timeoutMs: 20_000 }).runTrials([...trials, { id: 3, spec: 'moving-average', periods: 99 }]);
    expect(local[1].score).toBe(Infinity);
    expect(local[1].error).toBeTruthy();
    for (const k of [0, 1]) {
      expect([remote[k].id, remote[k].score === Infinity, remote[k].error]).toEqual([local[k].id, local[k].score === Infinity, local[k].error]);
      if (k === 0) expect(Math.abs(remote[0].score - local[0].score)).toBeLessThan(1e-9);
    }
    // a trial the worker cannot even start (validation periods past the data) fails its job: Infinity, the job's error
    expect(remote[2]).toMatchObject({ id: 3, score: Infinity });
    expect(remote[2].error).toMatch(/failed: .*99 validation periods do not fit before period 64/);
  }, 25_000);
});
