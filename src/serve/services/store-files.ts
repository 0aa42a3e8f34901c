/**
 * Owner-only modes for the store's files. DuckDB creates its write-ahead log (<store>.wal) with the process umask
 * (often 0644) although it holds the same incident rows as the store, so the server narrows it after opening and
 * after every ingest, when a new log may have been written.
 */
import { chmodSync, existsSync } from 'node:fs';

export function restrictStoreFiles(storePath: string): void {
  if (storePath === ':memory:') return;
  for (const p of [storePath, `${storePath}.wal`]) {
    try {
      if (existsSync(p)) chmodSync(p, 0o600);
    } catch (e) {
      // a file that vanished between the check and the chmod (a checkpoint removed the log) needs no mode;
      // anything else leaves the store readable by others, which the operator must hear about
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') process.emitWarning(`could not make ${p} owner-only (0600): ${(e as Error).message}`);
    }
  }
}
