/**
 * `crimecast worker`: run queued jobs (backtests, and any registered job kind) from a Redis queue, results to
 * PostgreSQL. Start as many as you like, on as many machines; SIGTERM/SIGINT finish the running job first.
 */
import type { Command } from 'commander';
import { startJobWorker } from '../../jobs/worker.js';
import { listJobKinds } from '../../jobs/kinds/registry.js';
import '../../jobs/kinds/all.js';
import { UserError } from '../../util/errors.js';
import { info } from '../output.js';

interface WorkerCommandOptions { redis?: string; queue?: string; store?: string; concurrency: string; lockMs: string; name?: string; quiet?: boolean }

const posInt = (v: string, name: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UserError(`${name} must be a positive integer, got "${v}"`);
  return n;
};

export function register(program: Command): void {
  program
    .command('worker')
    .description(`run jobs from the Redis queue (${listJobKinds().map((k) => k.kind).join(', ')}); results go to PostgreSQL`)
    .option('--redis <url>', 'Redis server (default $CRIMECAST_REDIS_URL)')
    .option('--queue <name>', 'queue name (default $CRIMECAST_QUEUE or crimecast-jobs)')
    .option('--store <url>', 'PostgreSQL store for results and datasets (default $CRIMECAST_STORE)')
    .option('--concurrency <n>', 'jobs run at once, one thread each', '1')
    .option('--lock-ms <ms>', 'how long a silent worker keeps its job before another takes it over', '30000')
    .option('--name <name>', 'worker name in job records (default host:pid)')
    .option('--quiet', 'no per-job log lines')
    .action(async (o: WorkerCommandOptions) => {
      const w = await startJobWorker({
        redis: o.redis, queue: o.queue, store: o.store, concurrency: posInt(o.concurrency, '--concurrency'), lockMs: posInt(o.lockMs, '--lock-ms'),
        name: o.name, log: o.quiet ? undefined : (line) => info(`[${new Date().toISOString()}] ${line}`),
      });
      // handlers before the ready line: whoever reads it may signal at once
      const stopped = new Promise<void>((resolve) => {
        const stop = () => { info(`worker ${w.name}: finishing the running job, then exiting`); void w.close().then(resolve); };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
      if (o.quiet) info(`worker ${w.name} ready on queue ${w.queue}`);
      await stopped;
    });
}
