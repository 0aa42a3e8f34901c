/**
 * A fairness audit off the event loop: its bootstrap (up to 5,000 replicates over test periods × groups) takes
 * seconds on a city-sized backtest, and on the main thread every other request waited.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { auditForecasts, type AuditInput, type AuditResult } from '../../responsible/audit/audit.js';
import { runWorker } from './off-thread.js';

export const AUDIT_WORKER = fileURLToPath(new URL('../../../dist/serve/services/audit-worker.js', import.meta.url));

/** In a worker thread when `threads` and the compiled worker exist; in-process otherwise. */
export function runAuditAnywhere(input: AuditInput, threads: boolean): Promise<AuditResult> {
  if (!threads || !existsSync(AUDIT_WORKER)) return Promise.resolve().then(() => auditForecasts(input));
  return runWorker<AuditResult>(AUDIT_WORKER, input, 'audit');
}
