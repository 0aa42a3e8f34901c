/**
 * Checks and messages shared by both stores' ingest (embedded DuckDB and PostgreSQL): the dataset a file goes to,
 * refusing a second time zone in one dataset, conflicting duplicates as rejects, and errors that say what was
 * committed.
 */
import { basename } from 'node:path';
import { UserError } from '../../util/errors.js';
import { rawRecordsAt } from './read.js';
import type { Reject } from './reject.js';
import { resolveSpec } from './resolve.js';
import type { ReadOptions } from './spec.js';

/** The dataset an ingest writes to: --dataset, else the preset's name, else the file's base name. */
export function datasetFor(path: string, opts: ReadOptions & { dataset?: string }): string {
  return opts.dataset ?? opts.preset ?? basename(path).replace(/\.[^.]+$/, '');
}

/** The zone a file's local times will be read in (throws the same UserErrors the reader would). */
export function zoneFor(opts: ReadOptions): string {
  return resolveSpec(opts).tz;
}

/**
 * A dataset has one time zone: a file read in another would make every later query fail ("the selection mixes
 * time zones"), so it is refused before anything is staged.
 */
export function refuseOtherZone(path: string, dataset: string, stored: string | undefined, tz: string): void {
  if (stored === undefined || stored === tz) return;
  throw new UserError(
    `${path}: dataset "${dataset}" holds times in ${stored}, but this file would be read in ${tz}; nothing was ingested`,
    `re-run with --tz ${stored} if the file's local times are in ${stored}, or ingest it into another --dataset`,
  );
}

export const CONFLICT_FIELD = 'id (already seen with another time, category or location)';

/** Rejects for rows whose id was already stored (or earlier in the file) with other content, raw text included. */
export async function conflictRejects(path: string, opts: ReadOptions, file: string, lines: number[]): Promise<Reject[]> {
  if (!lines.length) return [];
  const raw = await rawRecordsAt(path, opts, new Set(lines));
  return lines.map((line) => ({ file, line, reason: 'conflicting-duplicate' as const, field: CONFLICT_FIELD, raw: raw.get(line) ?? '' }));
}

/**
 * A file system or storage failure (disk full, permissions) as a UserError naming the file and saying what was
 * committed (`committed`: null before COMMIT returned); other errors before COMMIT as they are.
 */
export function ingestFailure(err: unknown, path: string, committed: string | null): unknown {
  const e = err as NodeJS.ErrnoException;
  const io = typeof e?.code === 'string' && typeof e.syscall === 'string';
  const storage = err instanceof Error && /^(IO|Out of Memory) Error|No space left|Could not write/i.test(err.message);
  // before COMMIT only user-facing failures are rephrased; after it every failure must say the data is stored
  if (!(err instanceof UserError) && !io && !storage && committed === null) return err;
  const why = err instanceof UserError ? err.message : io ? `${e.code}: ${e.message.split('\n')[0]}` : String((err as Error)?.message ?? err).split('\n')[0];
  const what = committed ?? 'nothing was committed (the store is as it was before this file)';
  const hint = err instanceof UserError ? err.hint : io || storage ? 'free disk space or fix permissions, then re-run: ingest is idempotent' : undefined;
  return new UserError(`${err instanceof UserError && why.includes(path) ? why : `${path}: ${why}`}; ${what}`, hint);
}
