/**
 * `crimecast tune`: hyper-parameter search (random or successive halving) for one model under a published
 * protocol. Every configuration is scored on validation periods strictly before the test span; only the winner
 * (and the model's untuned spec, as the paired-test reference) is then backtested on the test span.
 */
import type { Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import '../../models/all.js';
import { runProtocol } from '../../evaluate/protocols/index.js';
import type { TrialExecutor, TrialResult } from '../../evaluate/selection/executor.js';
import { LocalExecutor } from '../../evaluate/selection/local-executor.js';
import { paramSpace, parseParamRange } from '../../evaluate/selection/param-space.js';
import { randomSearch, successiveHalving, type SearchResult } from '../../evaluate/selection/search.js';
import { VALIDATION_METRICS, type ValidationMetric } from '../../evaluate/selection/validation-score.js';
import { checkTunableProtocol, defaultMetric, loadValidationData, TUNABLE_PROTOCOLS, type ValidationTask } from '../../evaluate/selection/validation-task.js';
import { UserError } from '../../util/errors.js';
import { emit, info } from '../output.js';
import { resultJson } from '../../evaluate/report/result-json.js';

interface TuneOptions {
  model: string;
  param: string[];
  protocol: string;
  strategy: string;
  budget: string;
  eta: string;
  minPeriods: string;
  validation?: string;
  metric?: string;
  refitEvery: string;
  workers: string;
  redis?: string;
  store?: string;
  queue?: string;
  seed: string;
  bootstrap: string;
  dataDir?: string;
  out?: string;
  json?: boolean;
}

const int = (v: string, name: string, min: number) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UserError(`${name} must be an integer ≥ ${min}, got "${v}"`);
  return n;
};

export function register(program: Command): void {
  program
    .command('tune')
    .description('hyper-parameter search (random / successive halving) on validation periods before the test span, winner backtested on test')
    .requiredOption('--model <spec>', 'model to tune, with any fixed parameters (e.g. moving-average or moving-average:dist=negbin)')
    .option('--param <range>', 'searched parameter (repeat): window=7..60, lambda=1e-4..1:log, dist=poisson|negbin', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .requiredOption('--protocol <name>', `protocol whose data and test span are used (${TUNABLE_PROTOCOLS.join(', ')})`)
    .option('--strategy <name>', 'random | halving', 'halving')
    .option('--budget <n>', 'configurations tried', '20')
    .option('--eta <n>', 'successive halving: keep the best 1/eta per rung', '3')
    .option('--min-periods <n>', 'successive halving: validation periods of the first rung', '7')
    .option('--validation <periods>', 'validation periods before the test span (default: the protocol\'s validation split)')
    .option('--metric <name>', `validation loss: ${VALIDATION_METRICS.join(' | ')} (default: logscore for counts, brier for occurrence)`)
    .option('--refit-every <k>', 'refit every k periods in validation and test backtests', '7')
    .option('--workers <n>', 'worker threads for trials (needs `npm run build`)', '1')
    .option('--redis <url>', 'score trials on `crimecast worker` processes through this Redis job queue (needs --store postgres://…)')
    .option('--store <url>', 'with --redis: the PostgreSQL store the workers keep job results in')
    .option('--queue <name>', 'with --redis: job queue name (default $CRIMECAST_QUEUE or crimecast-jobs)')
    .option('--seed <n>', 'random seed', '1')
    .option('--bootstrap <B>', 'bootstrap resamples for the test CIs', '1000')
    .option('--data-dir <dir>', 'shared benchmark data folder (default: ../shared/data or $CRIMECAST_SHARED_DATA)')
    .option('--out <file.json>', 'write the result JSON here')
    .option('--json', 'print one JSON object on stdout')
    .action(async (o: TuneOptions) => {
      const protocol = checkTunableProtocol(o.protocol);
      if (o.strategy !== 'random' && o.strategy !== 'halving') throw new UserError(`--strategy must be random or halving, got "${o.strategy}"`);
      const metric = (o.metric ?? defaultMetric(protocol)) as ValidationMetric;
      if (!VALIDATION_METRICS.includes(metric)) throw new UserError(`--metric must be one of ${VALIDATION_METRICS.join(', ')}, got "${o.metric}"`);
      const space = paramSpace(o.model, o.param.map(parseParamRange));
      const budget = int(o.budget, '--budget', 1), seed = int(o.seed, '--seed', 0), refitEvery = int(o.refitEvery, '--refit-every', 1);
      const workers = int(o.workers, '--workers', 1);
      if (o.redis === undefined && (o.store !== undefined || o.queue !== undefined)) throw new UserError('--store and --queue only apply with --redis', 'add --redis redis://HOST:PORT to score trials on job workers');
      const t0 = performance.now();
      // remote workers read the data from the same path, so a relative --data-dir is made absolute here
      const task: ValidationTask = {
        protocol, dataDir: o.dataDir === undefined ? undefined : resolve(o.dataDir), models: [o.model], metric, refitEvery, seed,
        validationPeriods: o.validation === undefined ? undefined : int(o.validation, '--validation', 1),
      };
      const vd = await loadValidationData(task);
      let done = 0;
      const onTrial = (r: TrialResult) => { if (!o.json) info(`trial ${++done}: ${r.spec} on ${r.periods} periods → ${r.error ? `failed: ${r.error}` : r.score.toFixed(5)}`); };
      // loaded only when asked for, so a local search does not pull in the queue client
      const jobs = o.redis === undefined ? null : await (await import('../../jobs/client.js')).JobClient.connect({ redis: o.redis, store: o.store, queue: o.queue });
      let found: SearchResult;
      try {
        const executor: TrialExecutor = jobs
          ? new (await import('../../jobs/queue-executor.js')).QueueExecutor({ client: jobs, task, onTrial })
          : new LocalExecutor({ data: vd.data, valEnd: vd.valEnd, metric, refitEvery, seed, workers, onTrial });
        const search = { budget, maxPeriods: vd.validationPeriods, executor, seed };
        found = o.strategy === 'random'
          ? await randomSearch(space, search)
          : await successiveHalving(space, { ...search, eta: int(o.eta, '--eta', 2), minPeriods: int(o.minPeriods, '--min-periods', 1) });
      } finally {
        await jobs?.close();
      }
      const searchSeconds = (performance.now() - t0) / 1000;
      const untuned = o.model;
      const specs = found.best.spec === untuned ? [untuned] : [found.best.spec, untuned];
      const t1 = performance.now();
      const test = await runProtocol(protocol, specs, { reference: untuned, refitEvery, seed, dataDir: o.dataDir, bootstrap: int(o.bootstrap, '--bootstrap', 10) });
      const json = {
        protocol, model: o.model, strategy: found.strategy, metric, budget,
        validation: { from: vd.valEnd - vd.validationPeriods, to: vd.valEnd, periods: vd.validationPeriods, testStart: vd.valEnd },
        best: found.best, rungs: found.rungs, periodsScored: found.periodsScored, searchSeconds: +searchSeconds.toFixed(2),
        trials: found.trials,
        test: resultJson(test, (performance.now() - t1) / 1000),
      };
      if (o.out) { mkdirSync(dirname(o.out), { recursive: true }); writeFileSync(o.out, JSON.stringify(json, null, 1)); }
      emit(!!o.json, json, () => {
        const lines = [
          `${found.strategy} search of ${o.model} on ${protocol}: ${found.trials.length} trials, ${found.periodsScored} validation periods scored, ${searchSeconds.toFixed(1)} s`,
          `validation: periods [${json.validation.from}, ${json.validation.to}) before the test span, ${metric} (lower is better)`,
          ...(found.rungs ?? []).map((r, k) => `  rung ${k + 1}: ${r.configs} configurations × ${r.periods} periods`),
          `best: ${found.best.spec}  ${metric} ${found.best.score.toFixed(5)}`,
          '', `test (${test.testPeriodStart.length} periods), paired against the untuned ${untuned}:`,
        ];
        for (const name of test.metricNames.filter((n) => !/\//.test(n) || /\/all$/.test(n))) {
          for (const m of test.models) {
            const x = m.metrics[name], d = x.vsReference;
            lines.push(`  ${name.padEnd(18)} ${m.spec.padEnd(40)} ${x.value.toFixed(4)} [${x.lo.toFixed(4)}, ${x.hi.toFixed(4)}]` +
              (d ? `  Δ ${d.diff >= 0 ? '+' : ''}${d.diff.toFixed(4)} [${d.lo.toFixed(4)}, ${d.hi.toFixed(4)}] p=${d.p.toFixed(3)}` : ''));
          }
        }
        return lines.join('\n');
      });
    });
}
