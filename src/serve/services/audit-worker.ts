/** Worker-thread entry for one fairness audit (see audit-run.ts). */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { auditForecasts, type AuditInput, type AuditResult } from '../../responsible/audit/audit.js';
import { errorReply } from './map-run.js';
import type { WorkerReply } from './off-thread.js';

// below the main thread: on Linux this lowers only this thread, so requests and health checks are served first
try { setPriority(10); } catch { /* not permitted here: run at normal priority */ }
const post = (m: WorkerReply<AuditResult>) => parentPort!.postMessage(m);
try {
  post({ kind: 'result', result: auditForecasts(workerData as AuditInput) });
} catch (e) {
  post(errorReply(e) as WorkerReply<AuditResult>);
}
