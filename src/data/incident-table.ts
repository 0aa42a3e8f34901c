/**
 * The in-memory incident table: columnar, never an array of objects.
 * Locations are always WGS84 (projected sources are converted at ingest).
 * Times are UTC epoch milliseconds; `tz` is the IANA zone of the source, used for local-time binning.
 */
export interface IncidentTable {
  readonly n: number;
  /** Incident ids (source id, or a content hash where the source has none). */
  readonly id: string[];
  /** Occurrence instant, UTC epoch milliseconds. */
  readonly t: Float64Array;
  readonly lat: Float64Array;
  readonly lon: Float64Array;
  /** Dictionary-encoded category: index into `categories`. */
  readonly cat: Uint16Array;
  readonly categories: string[];
  /** IANA time zone of the source (e.g. "America/Chicago"). */
  readonly tz: string;
  /** Optional extra attributes, one column per name (null = missing). */
  readonly attrs?: Record<string, (string | null)[]>;
}

/** Build a table from parallel columns; categories are dictionary-encoded in first-seen order unless given. */
export function incidentTableFromColumns(cols: {
  id?: string[];
  t: ArrayLike<number>;
  lat: ArrayLike<number>;
  lon: ArrayLike<number>;
  category: string[];
  tz?: string;
  categories?: string[];
  attrs?: Record<string, (string | null)[]>;
}): IncidentTable {
  const n = cols.t.length;
  if (cols.lat.length !== n || cols.lon.length !== n || cols.category.length !== n) {
    throw new Error(`incident columns differ in length (t=${n}, lat=${cols.lat.length}, lon=${cols.lon.length}, category=${cols.category.length})`);
  }
  const categories = cols.categories ? [...cols.categories] : [];
  const index = new Map(categories.map((c, i) => [c, i]));
  const cat = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    const name = cols.category[i];
    let k = index.get(name);
    if (k === undefined) {
      k = categories.length;
      categories.push(name);
      index.set(name, k);
    }
    cat[i] = k;
  }
  return {
    n,
    id: cols.id ?? Array.from({ length: n }, (_, i) => String(i)),
    t: Float64Array.from(cols.t),
    lat: Float64Array.from(cols.lat),
    lon: Float64Array.from(cols.lon),
    cat,
    categories,
    tz: cols.tz ?? 'UTC',
    attrs: cols.attrs,
  };
}

/** Rows whose index passes `keep`, as a new table (shares the category dictionary). */
export function selectIncidents(tbl: IncidentTable, keep: (i: number) => boolean): IncidentTable {
  const idx: number[] = [];
  for (let i = 0; i < tbl.n; i++) if (keep(i)) idx.push(i);
  return takeIncidents(tbl, idx);
}

export function takeIncidents(tbl: IncidentTable, idx: ArrayLike<number>): IncidentTable {
  const m = idx.length;
  const t = new Float64Array(m), lat = new Float64Array(m), lon = new Float64Array(m), cat = new Uint16Array(m);
  const id = new Array<string>(m);
  for (let j = 0; j < m; j++) {
    const i = idx[j];
    t[j] = tbl.t[i]; lat[j] = tbl.lat[i]; lon[j] = tbl.lon[i]; cat[j] = tbl.cat[i]; id[j] = tbl.id[i];
  }
  let attrs: Record<string, (string | null)[]> | undefined;
  if (tbl.attrs) {
    attrs = {};
    for (const [k, col] of Object.entries(tbl.attrs)) attrs[k] = Array.from({ length: m }, (_, j) => col[idx[j]]);
  }
  return { n: m, id, t, lat, lon, cat, categories: tbl.categories, tz: tbl.tz, attrs };
}

/** Incidents that occurred strictly before `cutoffMs` — the only view of the past a forecaster may see. */
export function incidentsBefore(tbl: IncidentTable, cutoffMs: number): IncidentTable {
  return selectIncidents(tbl, (i) => tbl.t[i] < cutoffMs);
}
