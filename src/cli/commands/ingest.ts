/** `crimecast ingest FILE…`: read incident files into the embedded store (idempotent; rejects kept aside). */
import type { Command } from 'commander';
import type { IngestOptions, IngestSummary } from '../../data/store.js';
import { openIncidentStore } from '../../store/open.js';
import { PRESETS } from '../../data/presets/index.js';
import { UserError } from '../../util/errors.js';
import { addSourceColumnOptions, toReadOptions, type SourceColumnOptions } from '../source-options.js';
import { emit } from '../output.js';
import { startProgress } from '../progress.js';

interface IngestCommandOptions extends SourceColumnOptions {
  dataset?: string;
  rejects?: string;
  store?: string;
  json?: boolean;
}

export function register(program: Command): void {
  const cmd = program
    .command('ingest')
    .description('read incident files (CSV, GeoJSON, Parquet) into the store (embedded, or PostgreSQL with --store postgres://…); re-ingesting adds only new incidents')
    .argument('<files...>', 'incident files')
    .option('--preset <name>', `source schema: ${Object.keys(PRESETS).join(', ')}`)
    .option('--dataset <name>', 'dataset name in the store (default: the preset, else the file name)')
    .option('--rejects <path>', 'rejects file (JSON Lines; default beside the store); with several files, the file name is appended')
    .option('--store <path|url>', 'store: a DuckDB file path, or postgres://USER@HOST/DB (default .crimecast/crimecast.duckdb, or $CRIMECAST_STORE)')
    .option('--drop-first-row', 'skip the first data row (reproduces the ST-SHN script)')
    .option('--json', 'print one JSON object on stdout');
  addSourceColumnOptions(cmd);
  cmd.action(async (files: string[], o: IngestCommandOptions) => {
      const base = toIngestOptions(o);
      const store = await openIncidentStore(o.store);
      const results: IngestSummary[] = [];
      try {
        for (const file of files) {
          const progress = startProgress(`ingest ${file}`, 1);
          try {
            results.push(await store.ingestFile(file, {
              ...base,
              rejectsPath: o.rejects ? (files.length > 1 ? `${o.rejects}.${file.split(/[\\/]/).pop()}.jsonl` : o.rejects) : undefined,
              onProgress: (done, total) => progress.update(done, total, 'bytes read'),
            }));
          } finally {
            progress.stop();
          }
        }
      } catch (err) {
        // files before the failing one are committed: say so, or the user cannot tell what the store now holds
        if (err instanceof UserError && results.length) {
          throw new UserError(`${err.message}\nalready committed before it: ${results.map((r) => `${r.file} → ${r.dataset} (${r.ingested} new)`).join(', ')}`, err.hint);
        }
        throw err;
      } finally {
        await store.close();
      }
      const total = results.reduce((a, r) => ({ rows: a.rows + r.rows, ingested: a.ingested + r.ingested, duplicates: a.duplicates + r.duplicates, rejected: a.rejected + r.rejected }),
        { rows: 0, ingested: 0, duplicates: 0, rejected: 0 });
      const files_ = results.map(({ read, ...r }) => ({ ...r, ...(read.reader ? { reader: read.reader } : {}) }));
      emit(!!o.json, { store: store.location, files: files_, total }, () =>
        results.map((r) =>
          `${r.file} → ${r.dataset}: ${r.rows} rows, ${r.ingested} new, ${r.duplicates} duplicates, ${r.rejected} rejected` +
          (r.rejected ? ` (${Object.entries(r.rejectsByReason).map(([k, v]) => `${k} ${v}`).join(', ')}; see ${r.rejectsFile})` : '') +
          ` in ${r.seconds.toFixed(1)} s` + readerNote(r) + encodingNote(r)).join('\n') + `\nstore: ${store.location}`);
    });
}

/** How many threads read a CSV file, and why one (a fallback is never silent, though the rows are the same). */
function readerNote(r: IngestSummary): string {
  const t = r.read.reader;
  if (!t) return '';
  const how = t.threads > 1 ? ` (read on ${t.threads} threads, ${t.ranges} ranges` : ` (read on 1 thread: ${t.why ?? 'one core'}`;
  const c = t.compiled;
  const compiled = !c || c.of === 0 ? '' : c.off ? `; compiled reader ${c.off}`
    : c.records === c.of ? '; compiled reader' : `; compiled reader for ${(100 * c.records / c.of).toFixed(0)}% of records, the JS reader for the rest (non-ASCII chunks, records across chunk ends)`;
  return how + compiled + ')' + (t.workerFailed ? `\n  warning: the second read thread failed (${t.workerFailed}); the main thread read its ranges` : '');
}

/** Undecodable bytes are kept as U+FFFD, never silently: how many, where, and the likely fix. */
function encodingNote(r: IngestSummary): string {
  const e = r.read.encoding;
  if (!e.replaced) return '';
  return `\n  warning: ${e.replaced} character(s) on ${e.rows} row(s) are not valid ${e.name} and were replaced by U+FFFD ` +
    `(lines ${e.lines.join(', ')}${e.rows > e.lines.length ? ', …' : ''})` +
    (e.name === 'utf-8' ? '; if the file is Latin-1 or Windows-1252, re-ingest with --encoding windows-1252' : '');
}

function toIngestOptions(o: IngestCommandOptions): IngestOptions {
  return { ...toReadOptions(o), dataset: o.dataset };
}
