/** Worker-thread entry for a backtest job (see backtest-run.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { UserError } from '../../util/errors.js';
import { runBacktestJob, type BacktestJobInput, type WorkerReply } from './backtest-run.js';

const post = (m: WorkerReply) => parentPort!.postMessage(m);
try {
  const result = await runBacktestJob(workerData as BacktestJobInput, (fraction, message) => post({ kind: 'progress', fraction, message }));
  post({ kind: 'result', result });
} catch (e) {
  post({ kind: 'error', message: (e as Error).message, user: e instanceof UserError, hint: e instanceof UserError ? e.hint : undefined });
}
