/**
 * Where a command's incidents come from: a file read with a preset (--input/--preset) or the embedded store
 * (--store/--dataset), with the options every analysis command shares.
 */
import type { Command } from 'commander';
import type { IncidentTable } from '../data/incident-table.js';
import { readIncidentFile, type ReadOptions } from '../data/ingest/read.js';
import { openIncidentStore } from '../store/open.js';
import { emptySelectionError, requireExistingStore } from './store-selection.js';
import type { BBox } from '../space/bbox.js';
import { utcToLocalParts } from '../time/zone.js';

export interface IncidentSourceOptions {
  input?: string;
  preset?: string;
  store?: string;
  dataset?: string;
  from?: string;
  to?: string;
  categories?: string;
  bbox?: string;
}

export function addIncidentSourceOptions(cmd: Command): Command {
  return cmd
    .option('--input <file>', 'incident file (CSV, GeoJSON, Parquet) instead of the store')
    .option('--preset <name>', 'column preset for --input (e.g. chicago, stshn-chicago)')
    .option('--drop-first-row', 'skip the first data row of --input (ST-SHN quirk)')
    .option('--store <path|url>', 'store: DuckDB file or postgres://USER@HOST/DB (default: $CRIMECAST_STORE or .crimecast/crimecast.duckdb)')
    .option('--dataset <name>', 'dataset in the store');
}

/** Incidents for a command, from --input or the store, filtered by the given window/categories/bbox where the source supports it. */
export async function loadCommandIncidents(o: IncidentSourceOptions & { dropFirstRow?: boolean }, bbox?: BBox, read: ReadOptions = {}): Promise<IncidentTable> {
  if (o.input) {
    const { table, rejects } = await readIncidentFile(o.input, {
      ...read,
      preset: o.preset,
      dropFirstRow: o.dropFirstRow,
      bbox: bbox ? [bbox.minLon, bbox.minLat, bbox.maxLon, bbox.maxLat] : read.bbox,
    });
    // rows that failed validation are not in the table: say how many and why (ingest keeps them in a rejects file)
    if (rejects.length) {
      const why = new Map<string, number>();
      for (const r of rejects) why.set(r.reason, (why.get(r.reason) ?? 0) + 1);
      process.stderr.write(`note: ${rejects.length} row(s) of ${o.input} rejected and left out (${[...why].map(([k, v]) => `${k} ${v}`).join(', ')}); \`crimecast ingest\` keeps them with their lines in a rejects file\n`);
    }
    return table;
  }
  requireExistingStore(o.store);
  const store = await openIncidentStore(o.store);
  try {
    const categories = o.categories ? splitList(o.categories) : undefined;
    const table = await store.loadIncidents({ dataset: o.dataset, from: o.from, to: o.to, categories, bbox });
    // nothing selected: say what the store holds instead of a bare "no incidents"
    if (table.n === 0) throw await emptySelectionError(store, { dataset: o.dataset, from: o.from, to: o.to, categories, bbox: !!bbox });
    return table;
  } finally {
    await store.close();
  }
}

export function splitList(s: string): string[] {
  return s.split(',').map((x) => x.trim()).filter((x) => x !== '');
}

/** Local calendar date (YYYY-MM-DD) of an instant. */
export function localDate(ms: number, tz: string): string {
  const p = utcToLocalParts(ms, tz);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}
