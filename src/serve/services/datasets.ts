/**
 * The server's view of the embedded store: dataset summaries, incident loading, file ingest and real-time ingest of
 * JSON records. Real-time records are written to a small CSV and go through the same reader as a file ingest, so
 * validation, rejects (file + line + reason) and idempotence (unique on dataset + id) are the CLI's.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncidentTable } from '../../data/incident-table.js';
import { PRESETS } from '../../data/presets/index.js';
import { ingestFile, loadIncidents, storeInfo, type DatasetInfo, type IngestOptions, type IngestSummary, type IncidentQuery, type Store } from '../../data/store.js';
import { HttpError } from '../http-error.js';
import { Mutex } from './mutex.js';
import { restrictStoreFiles } from './store-files.js';

export const DATASET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface LiveIncident { id?: string; time: string; lat: number; lon: number; category: string }

export type PublicIngestSummary = Omit<IngestSummary, 'read' | 'rejectsFile'> & { rejectsFile: boolean };

export class Datasets {
  private lock = new Mutex();
  /** Bumped on every ingest that added incidents (forecast caches key on it). */
  private versions = new Map<string, number>();

  constructor(readonly store: Store) {}

  version(dataset: string): number { return this.versions.get(dataset) ?? 0; }

  async list(): Promise<DatasetInfo[]> {
    return this.lock.run(async () => (await storeInfo(this.store)).datasets);
  }

  async info(dataset: string): Promise<DatasetInfo> {
    checkName(dataset);
    return this.lock.run(async () => {
      const all = (await storeInfo(this.store)).datasets;
      const d = all.find((x) => x.dataset === dataset);
      if (!d) throw new HttpError(404, `no dataset "${dataset}"`, all.length ? `datasets: ${all.map((x) => x.dataset).join(', ')}` : 'the store is empty: upload a file first');
      return d;
    });
  }

  async incidents(dataset: string, q: Omit<IncidentQuery, 'dataset'> = {}): Promise<IncidentTable> {
    await this.info(dataset);
    const table = await this.lock.run(() => loadIncidents(this.store, { ...q, dataset }));
    return table;
  }

  /** Ingest a file already on disk (an upload); `fileName` is the name the store records for it. */
  async ingestFile(dataset: string, path: string, opts: Omit<IngestOptions, 'dataset'>): Promise<PublicIngestSummary> {
    checkName(dataset);
    // own keys only: "__proto__" or "constructor" must not pass as a preset
    if (opts.preset !== undefined && !Object.hasOwn(PRESETS, opts.preset)) throw new HttpError(400, `unknown preset "${opts.preset}"`, `valid presets: ${Object.keys(PRESETS).join(', ')}`);
    const s = await this.lock.run(async () => {
      try { return await ingestFile(this.store, path, { ...opts, dataset }); } finally { restrictStoreFiles(this.store.path); }
    });
    if (s.ingested > 0) this.versions.set(dataset, this.version(dataset) + 1);
    // the rejects file holds raw rows: say that there is one, not where
    const { read: _r, rejectsFile, ...rest } = s;
    return { ...rest, rejectsFile: rejectsFile !== null };
  }

  /** Real-time ingest of records posted as JSON; `batchName` names the batch in rejects and the ingest log. */
  async ingestRecords(dataset: string, records: LiveIncident[], tz: string | undefined, batchName: string): Promise<PublicIngestSummary> {
    checkName(dataset);
    let zone = tz;
    if (!zone) {
      const known = (await this.list()).find((d) => d.dataset === dataset);
      if (!known?.tz) throw new HttpError(400, `dataset "${dataset}" is new: say which time zone the times are in`, 'add "tz": "America/Chicago" (an IANA zone) to the body');
      zone = known.tz;
    }
    const withIds = records.filter((r) => r.id !== undefined).length;
    if (withIds !== 0 && withIds !== records.length) throw new HttpError(400, `${withIds} of ${records.length} incidents have an id`, 'give every incident an "id", or none (ids are then content hashes)');
    const dir = mkdtempSync(join(tmpdir(), 'crimecast-live-'));
    try {
      const path = join(dir, `${batchName}.csv`);
      const cell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
      const lines = ['id,time,lat,lon,category', ...records.map((r) => [r.id ?? '', r.time, String(r.lat), String(r.lon), r.category].map(cell).join(','))];
      writeFileSync(path, lines.join('\n') + '\n', { mode: 0o600 });
      return await this.ingestFile(dataset, path, {
        timeCol: 'time', latCol: 'lat', lonCol: 'lon', categoryCol: 'category', idCol: withIds ? 'id' : undefined, tz: zone,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

function checkName(dataset: string): void {
  if (!DATASET_NAME.test(dataset)) throw new HttpError(400, `dataset name "${dataset}" is not allowed`, 'use letters, digits, ".", "_" or "-" (at most 64)');
}
