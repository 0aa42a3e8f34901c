/** Worker-thread entry for one forecast fit (see forecast-run.ts). */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { IncidentTable } from '../../data/incident-table.js';
import type { ForecastRequest } from './forecasts.js';
import { computeForecast, type ForecastWorkerReply } from './forecast-run.js';
import { errorReply } from './map-run.js';

// below the main thread: on Linux this lowers only this thread, so requests and health checks are served first
try { setPriority(10); } catch { /* not permitted here: run at normal priority */ }
const post = (m: ForecastWorkerReply) => parentPort!.postMessage(m);
try {
  const { table, request, frame } = workerData as { table: IncidentTable; request: ForecastRequest; frame: Parameters<typeof computeForecast>[2] };
  post({ kind: 'result', result: await computeForecast(table, request, frame) });
} catch (e) {
  post(errorReply(e) as ForecastWorkerReply);
}
