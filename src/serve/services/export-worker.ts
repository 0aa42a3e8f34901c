/** Worker-thread entry for one forecast download (see forecast-exports.ts). */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { writeExport, type ExportFile, type ExportInput } from './forecast-exports.js';
import { errorReply } from './map-run.js';
import type { WorkerReply } from './off-thread.js';

// below the main thread: requests and health checks are served first
try { setPriority(10); } catch { /* not permitted here: run at normal priority */ }
const post = (m: WorkerReply<ExportFile>, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(m, transfer);
try {
  const { input, format, top } = workerData as { input: ExportInput; format: Parameters<typeof writeExport>[2]; top: number };
  const file = await writeExport(input, null, format, top);
  post({ kind: 'result', result: file }, [file.bytes.buffer]);
} catch (e) {
  post(errorReply(e) as WorkerReply<ExportFile>);
}
