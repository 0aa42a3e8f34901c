/** Where the shared benchmark data lives: an explicit folder, $CRIMECAST_SHARED_DATA, or ../shared/data beside the package. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../backtest/parallel.js';
import { UserError } from '../../util/errors.js';

/** The shared data folder: $CRIMECAST_SHARED_DATA, else ../shared/data beside the package (not the current folder). */
export function sharedDataRoot(): string {
  return process.env.CRIMECAST_SHARED_DATA ?? join(PACKAGE_ROOT, '..', 'shared', 'data');
}

export function sharedDataPath(rel: string, dataDir?: string): string {
  const root = dataDir ?? sharedDataRoot();
  const p = join(root, rel);
  if (!existsSync(p)) throw new UserError(`benchmark data ${p} not found`, 'pass --data-dir pointing at the shared data folder');
  return p;
}
