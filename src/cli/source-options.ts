/**
 * How to read an incident file: the preset and column options shared by `ingest` and by every command that reads a
 * file directly with --input (backtest, forecast), so a file that ingests also backtests with the same flags.
 */
import type { Command } from 'commander';
import type { ReadOptions } from '../data/ingest/read.js';
import { PRESETS } from '../data/presets/index.js';
import { EPSG_DEFS } from '../data/ingest/crs.js';
import { DEFAULT_YEARS, TIME_FORMATS, TIME_FORMAT_HELP, type TimeFormat } from '../data/ingest/time-parse.js';
import { ENCODINGS, type Encoding } from '../data/ingest/spec.js';
import { UserError } from '../util/errors.js';

/** As typed on the command line: ReadOptions' plain string fields, and text for those that need parsing. */
export interface SourceColumnOptions extends Pick<ReadOptions, 'preset' | 'timeCol' | 'dateCol' | 'latCol' | 'lonCol' | 'xCol' | 'yCol' | 'categoryCol' | 'idCol' | 'crs' | 'tz' | 'header' | 'delimiter' | 'dropFirstRow'> {
  attrCols?: string;
  timeFormat?: string;
  bbox?: string;
  years?: string;
  encoding?: string;
}

/** The column, format and validation options of a source file (not --preset or --drop-first-row, which each command words itself). */
export function addSourceColumnOptions(cmd: Command): Command {
  return cmd
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
    .option('--bbox <minLon,minLat,maxLon,maxLat|none>', "reject points outside this box (default: the preset's city box; none: no box)")
    .option('--years <from-to>', `plausible years of incident times; others are rejected (default ${DEFAULT_YEARS.join('-')})`)
    .option('--encoding <name>', `text encoding of CSV/GeoJSON files: ${ENCODINGS.join(', ')} (default utf-8)`);
}

/** Validated read options from the command line (fails fast with the fix in the message). */
export function toReadOptions(o: SourceColumnOptions): ReadOptions {

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
    preset: o.preset,
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
