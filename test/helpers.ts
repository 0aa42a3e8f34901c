/** Shared test helpers. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
/** The shared data folder lies beside the repository (../shared/data), locally and in CI. */
export const SHARED_DATA = resolve(REPO_ROOT, '..', 'shared', 'data');

/**
 * Path of a file in ../shared/data. Tests that need it use `describe.runIf(hasShared(...))`;
 * under CI a missing file is an error, never a silent skip.
 */
export function sharedPath(rel: string): string {
  return resolve(SHARED_DATA, rel);
}
export function hasShared(rel: string): boolean {
  const ok = existsSync(sharedPath(rel));
  if (!ok && process.env.CI) throw new Error(`shared data file ${rel} is missing in CI (expected at ${sharedPath(rel)})`);
  return ok;
}
