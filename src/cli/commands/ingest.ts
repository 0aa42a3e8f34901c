/** `crimecast ingest FILE…`: read incident files into the embedded store (idempotent; rejects kept aside). */
import type { Command } from 'commander';
import type { IngestOptions, IngestSummary } from '../../data/store.js';
import { openIncidentStore } from '../../store/open.js';
import { PRESETS } from '../../data/presets/index.js';
import { EPSG_DEFS } from '../../data/ingest/crs.js';
import { DEFAULT_YEARS, TIME_FORMATS, TIME_FORMAT_HELP, type TimeFormat } from '../../data/ingest/time-parse.js';
import { ENCODINGS, type Encoding } from '../../data/ingest/spec.js';
import { UserError } from '../../util/errors.js';
import { emit } from '../output.js';
import { startProgress } from '../progress.js';

interface IngestCommandOptions {
  preset?: string;
  dataset?: string;
  timeCol?: string;
  dateCol?: string;
  latCol?: string;
  lonCol?: string;
  xCol?: string;
  yCol?: string;
  categoryCol?: string;
  idCol?: string;
  attrCols?: string;
  timeFormat?: string;
  crs?: string;
  tz?: string;
  header: boolean;
  delimiter?: string;
  dropFirstRow?: boolean;
  bbox?: string;
  years?: string;
  encoding?: string;
  rejects?: string;
  store?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('ingest')
    .description('read incident files (CSV, GeoJSON, Parquet) into the store (embedded, or PostgreSQL with --store postgres://…); re-ingesting adds only new incidents')
    .argument('<files...>', 'incident files')
    .option('--preset <name>', `source schema: ${Object.keys(PRESETS).join(', ')}`)
    .option('--dataset <name>', 'dataset name in the store (default: the preset, else the file name)')
    .option('--time-col <col>', 'date-time column (with --date-col: the time-of-day column)')
    .option('--date-col <col>', 'date column (date-only sources are placed at local midnight)')
    .option('--lat-col <col>', 'latitude column (WGS84)')
    .option('--lon-col <col>', 'longitude column (WGS84)')
    .option('--x-col <col>', 'projected x column (needs --crs)')
    .option('--y-col <col>', 'projected y column (needs --crs)')
    .option('--category-col <col>', 'offense category column')
    .option('--id-col <cols>', 'incident id column(s), comma-separated (default: a content hash)')
    .option('--attr-cols <cols>', 'extra columns to keep as attributes, comma-separated')
    .option('--time-format <fmt>', TIME_FORMAT_HELP)
    .option('--crs <crs>', `CRS of x/y: EPSG:${Object.keys(EPSG_DEFS).join('|')} or a proj4 string`)
    .option('--tz <zone>', 'IANA time zone of the local times (e.g. America/Chicago)')
    .option('--no-header', 'the file has no header row (columns are col1, col2, …)')
    .option('--delimiter <char>', 'CSV field delimiter (default ,)')
    .option('--drop-first-row', 'skip the first data row (reproduces the ST-SHN script)')
    .option('--bbox <minLon,minLat,maxLon,maxLat|none>', "reject points outside this box (default: the preset's city box; none: no box)")
    .option('--years <from-to>', `plausible years of incident times; others are rejected (default ${DEFAULT_YEARS.join('-')})`)
    .option('--encoding <name>', `text encoding of CSV/GeoJSON files: ${ENCODINGS.join(', ')} (default utf-8)`)
    .option('--rejects <path>', 'rejects file (JSON Lines; default beside the store); with several files, the file name is appended')
    .option('--store <path|url>', 'store: a DuckDB file path, or postgres://USER@HOST/DB (default .crimecast/crimecast.duckdb, or $CRIMECAST_STORE)')
    .option('--json', 'print one JSON object on stdout')
    .action(async (files: string[], o: IngestCommandOptions) => {
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
      const files_ = results.map(({ read: _read, ...r }) => r);
      emit(!!o.json, { store: store.location, files: files_, total }, () =>
        results.map((r) =>
          `${r.file} → ${r.dataset}: ${r.rows} rows, ${r.ingested} new, ${r.duplicates} duplicates, ${r.rejected} rejected` +
          (r.rejected ? ` (${Object.entries(r.rejectsByReason).map(([k, v]) => `${k} ${v}`).join(', ')}; see ${r.rejectsFile})` : '') +
          ` in ${r.seconds.toFixed(1)} s` + encodingNote(r)).join('\n') + `\nstore: ${store.location}`);
    });
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
  if (o.preset !== undefined && !Object.hasOwn(PRESETS, o.preset)) {
    throw new UserError(`unknown preset "${o.preset}"`, `valid presets: ${Object.keys(PRESETS).join(', ')}`);
  }
  if (o.timeFormat !== undefined && !(TIME_FORMATS as readonly string[]).includes(o.timeFormat)) {
    throw new UserError(`unknown --time-format "${o.timeFormat}"`, `use one of: ${TIME_FORMAT_HELP}`);
  }
  let bbox: [number, number, number, number] | null | undefined;
  if (o.bbox === 'none') bbox = null;
  else if (o.bbox !== undefined) {
    const v = o.bbox.split(',').map(Number);
    if (v.length !== 4 || v.some((x) => !Number.isFinite(x)) || v[0] >= v[2] || v[1] >= v[3]) {
      throw new UserError(`bad --bbox "${o.bbox}"`, 'give minLon,minLat,maxLon,maxLat, e.g. --bbox -87.95,41.64,-87.52,42.03');
    }
    bbox = v as [number, number, number, number];
  }
  let years: [number, number] | undefined;
  if (o.years !== undefined) {
    const m = /^\s*(\d{4})\s*[-,]\s*(\d{4})\s*$/.exec(o.years);
    if (!m || Number(m[1]) > Number(m[2])) throw new UserError(`bad --years "${o.years}"`, 'give two 4-digit years, e.g. --years 1990-2030');
    years = [Number(m[1]), Number(m[2])];
  }
  if (o.encoding !== undefined && !(ENCODINGS as readonly string[]).includes(o.encoding.toLowerCase())) {
    throw new UserError(`unknown --encoding "${o.encoding}"`, `use one of: ${ENCODINGS.join(', ')}`);
  }
  if (o.delimiter !== undefined && o.delimiter.length !== 1 && o.delimiter !== '\\t') {
    throw new UserError(`bad --delimiter "${o.delimiter}"`, 'give one character, e.g. --delimiter ";" (or \\t for tabs)');
  }
  return {
    preset: o.preset, dataset: o.dataset,
    timeCol: o.timeCol, dateCol: o.dateCol, latCol: o.latCol, lonCol: o.lonCol, xCol: o.xCol, yCol: o.yCol,
    categoryCol: o.categoryCol, idCol: o.idCol,
    attrCols: o.attrCols?.split(',').map((s) => s.trim()).filter(Boolean),
    timeFormat: o.timeFormat as TimeFormat | undefined, crs: o.crs, tz: o.tz,
    // commander sets header=true unless --no-header; only an explicit --no-header overrides the preset
    header: o.header === false ? false : undefined,
    delimiter: o.delimiter === '\\t' ? '\t' : o.delimiter,
    dropFirstRow: o.dropFirstRow, bbox, years, encoding: o.encoding?.toLowerCase() as Encoding | undefined,
  };
}
