/**
 * Why a command found nothing to work on, said in terms the user can act on: a store file that does not exist
 * (pointing at the demo's store when there is one, instead of creating an empty store), an unknown dataset (the
 * store lists the ones it has), or a selection outside what the dataset holds (its span, zone and categories).
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { IncidentStore } from '../store/types.js';
import { parseStoreLocation } from '../store/location.js';
import { utcToLocalParts } from '../time/zone.js';
import { UserError } from '../util/errors.js';
import { printable } from '../util/printable.js';

/** Throws when a DuckDB store location names no file: reading commands never create an empty store. */
export function requireExistingStore(location?: string): void {
  const loc = parseStoreLocation(location);
  if (loc.kind !== 'duckdb' || existsSync(loc.path)) return;
  const demo = join(dirname(loc.path), 'demo.duckdb');
  const shown = (p: string) => relative(process.cwd(), p) || p;
  throw new UserError(`no store at ${shown(loc.path)}`, existsSync(demo)
    ? `the demo's store is ${shown(demo)}: pass --store ${shown(demo)} (or ingest your own file with \`npx crimecast ingest FILE ...\`)`
    : 'run `npx crimecast ingest FILE --preset NAME` (or `npx crimecast demo`) first, or pass --store PATH');
}

/** Local "YYYY-MM-DD HH:MM" of an ISO instant in the dataset's zone. */
export function localStamp(iso: string, tz: string): string {
  const p = utcToLocalParts(Date.parse(iso), tz || 'UTC');
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}`;
}

export interface Selection { dataset?: string; from?: string; to?: string; categories?: string[]; bbox?: boolean }

/** The error for an empty selection: store.info throws for an unknown dataset (listing those it has). */
export async function emptySelectionError(store: IncidentStore, sel: Selection): Promise<UserError> {
  const info = await store.info(sel.dataset);
  if (!info.datasets.length) return new UserError('the store holds no incidents', 'run `npx crimecast ingest FILE ...` first');
  const held = info.datasets.map((d) => d.from && d.to
    ? `"${printable(d.dataset)}" holds ${d.incidents} incidents from ${localStamp(d.from, d.tz)} to ${localStamp(d.to, d.tz)} (${d.tz}), categories ${d.categories.slice(0, 5).map((c) => printable(c.category)).join(', ')}${d.categories.length > 5 ? ', …' : ''}`
    : `"${printable(d.dataset)}" holds no readable incidents`);
  const asked = [sel.from && `--from ${sel.from}`, sel.to && `--to ${sel.to}`, sel.categories && `--categories ${sel.categories.map(printable).join(',')}`, sel.bbox && 'inside the bounding box'].filter(Boolean);
  return new UserError(`no incidents match the selection${asked.length ? ` (${asked.join(' ')})` : ''}: ${held.join('; ')}`,
    'widen the dates or area, or check the category names (`npx crimecast info` lists them)');
}
