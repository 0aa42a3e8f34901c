/** The embedded DuckDB store (src/data/store.ts) behind the IncidentStore interface. */
import { closeStore, ingestFile, loadIncidents, openStore, storeInfo, type Store } from '../data/store.js';
import type { IncidentStore } from './types.js';

export class DuckDbIncidentStore implements IncidentStore {
  readonly kind = 'duckdb' as const;
  private constructor(readonly store: Store) {}

  static async open(path?: string): Promise<DuckDbIncidentStore> {
    return new DuckDbIncidentStore(await openStore(path));
  }

  get location(): string { return this.store.path; }
  ingestFile: IncidentStore['ingestFile'] = (path, opts) => ingestFile(this.store, path, opts);
  loadIncidents: IncidentStore['loadIncidents'] = (q) => loadIncidents(this.store, q);
  info: IncidentStore['info'] = (dataset) => storeInfo(this.store, dataset);
  async close(): Promise<void> { closeStore(this.store); }
}
