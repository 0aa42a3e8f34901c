/** Merge a preset with generic flags, then bind the named columns to indices of the file's header. */
import { UserError } from '../../util/errors.js';
import { getPreset } from '../presets/index.js';
import type { ResolvedColumns } from './normalize.js';
import { ENCODINGS, type ColumnSpec, type CoordPreference, type Encoding, type ReadOptions } from './spec.js';
import { DEFAULT_YEARS, TIME_FORMATS, TIME_FORMAT_HELP, type TimeFormat } from './time-parse.js';

export interface ResolvedSpec {
  presetName?: string;
  tz: string;
  header: boolean;
  names?: string[];
  columns: ColumnSpec;
  timeFormat: TimeFormat;
  coords: CoordPreference;
  /** Location columns named by flags (required); a preset's location pairs are alternatives, one pair suffices. */
  explicitLocation: boolean;
  /** Points outside are rejects: the user's box, else the preset's; none when neither (or bbox: null). */
  bbox?: [number, number, number, number];
  bboxFrom?: string;
  years: [number, number];
  encoding: Encoding;
}

export function resolveSpec(opts: ReadOptions): ResolvedSpec {
  const preset = opts.preset ? getPreset(opts.preset) : undefined;
  const cols: ColumnSpec = { ...(preset?.columns ?? {}) };
  if (opts.timeCol !== undefined) cols.time = opts.timeCol;
  if (opts.dateCol !== undefined) cols.date = opts.dateCol;
  // a flag naming only one of date/time replaces the preset's pair rather than mixing with it
  if (opts.timeCol !== undefined && opts.dateCol === undefined) delete cols.date;
  if (opts.dateCol !== undefined && opts.timeCol === undefined) delete cols.time;
  if (opts.latCol !== undefined) cols.lat = opts.latCol;
  if (opts.lonCol !== undefined) cols.lon = opts.lonCol;
  if (opts.xCol !== undefined) cols.x = opts.xCol;
  if (opts.yCol !== undefined) cols.y = opts.yCol;
  if (opts.crs !== undefined) cols.crs = opts.crs;
  if (opts.categoryCol !== undefined) cols.category = opts.categoryCol;
  if (opts.idCol !== undefined) cols.id = opts.idCol.split(',').map((s) => s.trim()).filter(Boolean);
  if (opts.attrCols !== undefined) cols.attrs = opts.attrCols;
  const timeFormat = opts.timeFormat ?? preset?.timeFormat ?? 'auto';
  if (!TIME_FORMATS.includes(timeFormat)) throw new UserError(`unknown time format "${timeFormat}"`, `use one of: ${TIME_FORMAT_HELP}`);
  const tz = opts.tz ?? preset?.tz;
  if (!tz) {
    if (timeFormat === 'epoch-s' || timeFormat === 'epoch-ms') return finish('UTC');
    throw new UserError('no time zone for the local times in this file', 'give --tz with an IANA zone (e.g. --tz America/Chicago) or use a --preset');
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw new UserError(`unknown time zone "${tz}"`, 'use an IANA name such as America/Chicago, America/New_York or UTC');
  }
  return finish(tz);

  function finish(zone: string): ResolvedSpec {
    const years = opts.years ?? DEFAULT_YEARS;
    if (years.length !== 2 || !years.every((y) => Number.isInteger(y) && y >= 1000 && y <= 9999) || years[0] > years[1]) {
      throw new UserError(`bad year window ${years.join('-')}`, 'give two years between 1000 and 9999, e.g. --years 1900-2100');
    }
    const encoding = opts.encoding ?? 'utf-8';
    if (!ENCODINGS.includes(encoding)) throw new UserError(`unknown encoding "${encoding}"`, `use one of: ${ENCODINGS.join(', ')}`);
    const bbox = opts.bbox === null ? undefined : opts.bbox ?? preset?.bbox;
    if (!cols.category) throw new UserError('no category column', 'give --category-col NAME or a --preset');
    if (!cols.time && !cols.date) throw new UserError('no time column', 'give --time-col NAME (date-time) or --date-col NAME [--time-col NAME], or a --preset');
    if ((cols.x || cols.y) && !cols.crs) throw new UserError('x/y columns need a coordinate system', 'give --crs EPSG:CODE (e.g. EPSG:3435) or a proj4 string');
    return {
      presetName: preset?.name,
      tz: zone,
      header: opts.header ?? preset?.header ?? true,
      names: opts.header === false && !preset ? undefined : preset?.names,
      columns: cols,
      timeFormat,
      coords: opts.coords ?? preset?.coords ?? 'auto',
      explicitLocation: [opts.latCol, opts.lonCol, opts.xCol, opts.yCol].some((v) => v !== undefined),
      bbox, bboxFrom: bbox === undefined ? undefined : opts.bbox ? 'bbox' : `preset ${preset!.name} box`,
      years: [years[0], years[1]], encoding,
    };
  }
}

/**
 * Bind column names to indices. Matching is exact, then case-insensitive; in a headerless file "col3" or "3"
 * also means the third column. Missing columns fail fast, all named at once.
 */
export function bindColumns(spec: ResolvedSpec, names: string[], file: string, geometryCols = false): ResolvedColumns {
  const lower = new Map<string, number>();
  names.forEach((n, i) => { if (!lower.has(n.toLowerCase())) lower.set(n.toLowerCase(), i); });
  const missing: string[] = [];
  const find = (name: string | undefined, what: string, optional = false): number => {
    if (name === undefined || name === '') return -1;
    let i = names.indexOf(name);
    if (i < 0) i = lower.get(name.toLowerCase()) ?? -1;
    if (i < 0) {
      const m = /^(?:col)?(\d+)$/i.exec(name);
      if (m && !spec.header && Number(m[1]) >= 1 && Number(m[1]) <= names.length) i = Number(m[1]) - 1;
    }
    if (i < 0 && !optional) missing.push(`${name} (${what})`);
    return i;
  };
  const c = spec.columns;
  let lat = -1, lon = -1;
  if (geometryCols && !c.x) {
    lat = names.indexOf('__lat');
    lon = names.indexOf('__lon');
  }
  const opt = !spec.explicitLocation;
  if (lat < 0 || (c.lat && !c.lat.startsWith('__'))) {
    lat = find(c.lat, 'latitude', opt);
    lon = find(c.lon, 'longitude', opt);
  }
  const out: ResolvedColumns = {
    names,
    id: (c.id ?? []).map((n) => find(n, 'id')),
    time: find(c.time, c.date ? 'time of day' : 'date-time'),
    date: find(c.date, 'date'),
    lat, lon,
    x: find(c.x, 'x', opt),
    y: find(c.y, 'y', opt),
    category: find(c.category, 'category'),
    attrs: [],
    crs: c.crs,
  };
  // attributes are optional extras: keep those present, silently skip absent ones
  for (const a of c.attrs ?? []) {
    let i = names.indexOf(a);
    if (i < 0) i = lower.get(a.toLowerCase()) ?? -1;
    if (i >= 0) out.attrs.push(i);
  }
  if ((out.lat < 0 || out.lon < 0) && (out.x < 0 || out.y < 0)) {
    const pairs = [c.lat && !c.lat.startsWith('__') ? `${c.lat}/${c.lon}` : '', c.x ? `${c.x}/${c.y}` : ''].filter(Boolean);
    missing.push(pairs.length ? `${pairs.join(' or ')} (location)` : 'a lat/lon or x/y pair (location)');
  }
  if (missing.length) {
    // a "header" that holds numbers or dates is really a data row: never echo it (no incident content in messages)
    const looksLikeData = spec.header && names.some((n) => /^[-+]?[\d.]+$/.test(n.trim()) || /\d{1,4}[-/]\d{1,2}[-/]\d{1,4}/.test(n));
    const shown = !spec.header ? `${names.length} unnamed columns (col1..col${names.length})`
      : looksLikeData ? `a first row that looks like data, not a header (use --no-header, or --preset stshn-chicago for that format)`
      : names.length > 30 ? names.slice(0, 30).join(', ') + ', …' : names.join(', ');
    throw new UserError(
      `${file}: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}${spec.presetName ? ` required by preset ${spec.presetName}` : ''}`,
      `the file has ${shown}. Choose another --preset or name columns with --time-col/--date-col/--lat-col/--lon-col/--x-col/--y-col/--category-col/--id-col`,
    );
  }
  // location pair present but only partially: treat as absent unless the other pair exists
  if (out.lat < 0 || out.lon < 0) { out.lat = -1; out.lon = -1; }
  if (out.x < 0 || out.y < 0) { out.x = -1; out.y = -1; }
  return out;
}
