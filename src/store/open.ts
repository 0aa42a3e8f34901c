/** Open the incident store a location names (see parseStoreLocation): embedded DuckDB by default, or PostgreSQL. */
import { DuckDbIncidentStore } from './duckdb-store.js';
import { parseStoreLocation } from './location.js';
import { PgIncidentStore } from './postgres/pg-store.js';
import type { IncidentStore } from './types.js';

export async function openIncidentStore(location?: string): Promise<IncidentStore> {
  const loc = parseStoreLocation(location);
  return loc.kind === 'postgres' ? PgIncidentStore.open(loc.url) : DuckDbIncidentStore.open(loc.path);
}

export { parseStoreLocation, redactUrl, type StoreLocation } from './location.js';
export type { IncidentStore, StoreKind } from './types.js';
