/**
 * The incident store behind one interface, whatever the engine: the embedded DuckDB file (default) or a
 * PostgreSQL/PostGIS server. Both give the same guarantees — an ingest is one transaction (a failure or a crash
 * leaves the store as it was), idempotent by (dataset, incident id), and keeps every rejected row with its file,
 * line and reason — and the same answers to the same queries.
 */
import type { IncidentTable } from '../data/incident-table.js';
import type { IncidentQuery, IngestOptions, IngestSummary, StoreInfo } from '../data/store.js';

export type { IncidentQuery, IngestOptions, IngestSummary, StoreInfo, DatasetInfo } from '../data/store.js';

export type StoreKind = 'duckdb' | 'postgres';

export interface IncidentStore {
  readonly kind: StoreKind;
  /** Where it is, safe to print: a file path, or the URL without its password. */
  readonly location: string;
  ingestFile(path: string, opts?: IngestOptions): Promise<IngestSummary>;
  /** Incidents matching the query, sorted by time then id. */
  loadIncidents(q?: IncidentQuery): Promise<IncidentTable>;
  info(dataset?: string): Promise<StoreInfo>;
  close(): Promise<void>;
}
