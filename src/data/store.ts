/**
 * The embedded incident store: one DuckDB file (default .crimecast/crimecast.duckdb in the working directory,
 * or $CRIMECAST_STORE, or an explicit path). Like rejects files, it holds raw incident data: it is created
 * owner-only and never logged.
 *
 * Ingest is idempotent (unique on dataset + id; sources without ids get content hashes) and crash-safe: each
 * file is staged with the DuckDB appender into a temp table and merged with an anti-join inside one transaction,
 * so an interrupted ingest leaves the store exactly as it was.
 *
 * Uniqueness of (dataset, id) is enforced by that merge, not by a PRIMARY KEY: DuckDB's ART index made the first
 * ingest of CHI_Crime.csv 5-7x slower (10.7 s vs 1.5 s for the INSERT alone), and the merge is race-free because a
 * DuckDB file has a single writing process and each merge runs in one transaction.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { DuckDBInstance } from './duckdb.js';
import { chmodSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../util/errors.js';
import { scanIncidentFile, type ReadOptions, type ReadSummary } from './ingest/read.js';
import type { IncidentAccumulator } from './ingest/normalize.js';
import { writeRejectsFile } from './ingest/rejects-file.js';
import { ChunkStager, stageCategories, stageRepeats } from './stage-chunks.js';
import { conflictRejects, datasetFor, ingestFailure, refuseOtherZone, zoneFor } from './ingest/ingest-checks.js';

export { attrsToJson } from './stage-chunks.js';
export { loadIncidents, storeInfo, type IncidentQuery, type StoreInfo, type DatasetInfo } from './store-query.js';

export const DEFAULT_STORE = '.crimecast/crimecast.duckdb';

export interface Store {
  readonly path: string;
  readonly instance: DuckDBInstance;
  readonly con: DuckDBConnection;
}

/** The store path: the argument, else $CRIMECAST_STORE, else .crimecast/crimecast.duckdb under the cwd. */
export function storePath(path?: string): string {
  const p = path ?? (process.env.CRIMECAST_STORE || DEFAULT_STORE);
  return p === ':memory:' ? p : resolve(p);
}

// Incidents are stored as rows plus one row per source file: dataset, zone and file name are the same for every row
// of a file, and writing them on each row was a quarter of DuckDB's share of an ingest (three VARCHAR columns:
// 0.48 -> 0.36 s per 321k rows, insert + commit on one thread). `incidents` is a view that joins them back, so every
// reader sees the ten columns it always saw.
const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS incident_sources (
     source INTEGER NOT NULL,       -- referenced by incident_rows.source
     dataset VARCHAR NOT NULL,
     tz VARCHAR NOT NULL,           -- IANA zone of the source's local times
     source_file VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS incident_rows (
     source INTEGER NOT NULL,
     id VARCHAR,                    -- the source's id; NULL where the id is the content hash alone (hash)
     t TIMESTAMP NOT NULL,          -- occurrence instant in UTC
     category VARCHAR NOT NULL,
     lat DOUBLE NOT NULL,
     lon DOUBLE NOT NULL,
     attrs JSON,
     source_line INTEGER NOT NULL,
     hash UBIGINT)                  -- content hash of a row of a source without ids`,
  `CREATE TABLE IF NOT EXISTS rejects (
     dataset VARCHAR NOT NULL, file VARCHAR NOT NULL, line INTEGER NOT NULL,
     reason VARCHAR NOT NULL, field VARCHAR NOT NULL, raw VARCHAR, ingested_at TIMESTAMP NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS ingests (
     dataset VARCHAR NOT NULL, file VARCHAR NOT NULL, rows BIGINT, ingested BIGINT, duplicates BIGINT,
     rejected BIGINT, seconds DOUBLE, ingested_at TIMESTAMP NOT NULL)`,
];

// A source without ids gets content-hash ids, "h" + 16 hex digits (+ "-k" for the k-th identical row): stored as
// the 64-bit number (id NULL, or the suffixed text for a repeat) and written out by the view. Storing the 17-char
// text instead was 90 of the 195 ms of the merge of CHI_Crime.csv (random hex strings: compressed at write).
const INCIDENTS_VIEW = `CREATE OR REPLACE VIEW incidents AS
  SELECT s.dataset, coalesce(r.id, printf('h%016x', r.hash)) AS id, r.t, s.tz, r.category, r.lat, r.lon, r.attrs, s.source_file, r.source_line
  FROM incident_rows r JOIN incident_sources s ON s.source = r.source`;
/** A text only the current view holds. */
const VIEW_MARK = 'r.hash';

/**
 * Create the `incidents` view, or move a store written before incident_sources existed (one `incidents` table of
 * ten columns) into the two tables, in one transaction. Returns a note for the user when rows were moved.
 */
async function ensureIncidentsView(con: DuckDBConnection, path: string): Promise<string | null> {
  const kind = (await con.runAndReadAll(
    `SELECT table_type FROM information_schema.tables WHERE table_schema = 'main' AND table_name = 'incidents'`)).getColumns()[0]?.[0];
  if (kind === 'VIEW') return ensureHashColumn(con, path);
  if (kind === undefined) { await con.run(INCIDENTS_VIEW); return null; }
  await con.run('BEGIN TRANSACTION');
  try {
    await con.run(`INSERT INTO incident_sources
      SELECT (row_number() OVER (ORDER BY dataset, source_file, tz))::INTEGER, dataset, tz, source_file
      FROM (SELECT DISTINCT dataset, tz, source_file FROM incidents)`);
    const moved = Number((await con.run(`INSERT INTO incident_rows (source, id, t, category, lat, lon, attrs, source_line)
      SELECT s.source, i.id, i.t, i.category, i.lat, i.lon, i.attrs, i.source_line
      FROM incidents i JOIN incident_sources s ON s.dataset = i.dataset AND s.tz = i.tz AND s.source_file = i.source_file`)).rowsChanged);
    await con.run('DROP TABLE incidents');
    await con.run(INCIDENTS_VIEW);
    await con.run('COMMIT');
    return `store ${path}: moved ${moved.toLocaleString('en')} incidents to the current layout (per-file dataset, zone and file name kept once, in incident_sources)`;
  } catch (err) {
    try { await con.run('ROLLBACK'); } catch { /* already ended */ }
    throw new UserError(`cannot update the layout of store ${path}: ${(err as Error).message.split('\n')[0]}`, 'the store is unchanged; check free disk space, or open it with the CrimeCast version that wrote it');
  }
}

/**
 * A store written before content hashes were kept as numbers: add the (empty) hash column and the view that reads
 * it, in one transaction. Its rows keep their id text; a note for the user when it happened.
 */
async function ensureHashColumn(con: DuckDBConnection, path: string): Promise<string | null> {
  const sql = String((await con.runAndReadAll(`SELECT sql FROM duckdb_views() WHERE schema_name = 'main' AND view_name = 'incidents'`)).getColumns()[0]?.[0] ?? '');
  if (sql.includes(VIEW_MARK)) return null;
  await con.run('BEGIN TRANSACTION');
  try {
    await con.run('ALTER TABLE incident_rows ADD COLUMN hash UBIGINT');
    await con.run('ALTER TABLE incident_rows ALTER COLUMN id DROP NOT NULL');
    await con.run(INCIDENTS_VIEW);
    await con.run('COMMIT');
    return `store ${path}: updated to the current layout (content-hash ids of new rows are kept as 64-bit numbers; stored ids unchanged)`;
  } catch (err) {
    try { await con.run('ROLLBACK'); } catch { /* already ended */ }
    throw new UserError(`cannot update the layout of store ${path}: ${(err as Error).message.split('\n')[0]}`, 'the store is unchanged; check free disk space, or open it with the CrimeCast version that wrote it');
  }
}

export async function openStore(path?: string): Promise<Store> {
  const p = storePath(path);
  if (p !== ':memory:') mkdirSync(dirname(p), { recursive: true, mode: 0o700 });
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(p);
  } catch (err) {
    throw new UserError(`cannot open store ${p}: ${(err as Error).message.split('\n')[0]}`, 'pass another --store PATH, or close the process that holds this one');
  }
  const con = await instance.connect();
  for (const sql of SCHEMA) await con.run(sql);
  let moved: string | null;
  try {
    moved = await ensureIncidentsView(con, p);
  } catch (err) {
    con.closeSync(); instance.closeSync();
    throw err;
  }
  // shown where the user looks: every command that opens a store prints stderr
  if (moved) process.stderr.write(`note: ${moved}\n`);
  // raw incident data: owner-only, whatever the umask
  if (p !== ':memory:') try { chmodSync(p, 0o600); } catch { /* not ours to change (e.g. a read-only share) */ }
  return { path: p, instance, con };
}

export function closeStore(store: Store): void {
  store.con.closeSync();
  store.instance.closeSync();
}

export interface IngestOptions extends ReadOptions {
  /** Dataset name (default: the preset name, else the file's base name). */
  dataset?: string;
  /** Where to write the rejects (JSON Lines). Default: beside the store, rejects/<dataset>/<file>.rejects.jsonl. */
  rejectsPath?: string;
  /** Called after each staged batch with the rows staged so far; throwing from it aborts the ingest, store unchanged. */
  onStage?: (staged: number) => void;
  /**
   * Test-only (the crash tests SIGKILL the process from it; never set it in real use, and it must not throw): called
   * at the transaction's milestones after staging — see IngestStep.
   */
  onStep?: (step: IngestStep) => void;
  /**
   * DuckDB's memory cap while this file is ingested (e.g. '512MB'; default INGEST_MEMORY_LIMIT or
   * $CRIMECAST_INGEST_MEMORY). Beyond it the stage and the merge spill to a temp folder beside the store, so a
   * 10M-row file needs ~1.2 GB, not ~1.7 GB. A cap already lower than this one is kept; ':memory:' stores are not capped.
   */
  memoryLimit?: string;
}

/** Default DuckDB memory cap during an ingest (see IngestOptions.memoryLimit). */
export const INGEST_MEMORY_LIMIT = '512MB';

/**
 * Where an ingest stands after staging: 'merged' — the new rows are in `incidents`, uncommitted; 'committing' —
 * COMMIT has been issued and not yet confirmed; 'committed' — COMMIT returned (the rejects file is already written).
 */
export type IngestStep = 'merged' | 'committing' | 'committed';

export interface IngestSummary {
  file: string;
  dataset: string;
  /** Data rows in the file. */
  rows: number;
  /** New incidents added to the store. */
  ingested: number;
  /** Valid rows whose id was already in the store (or repeated within the file) with the same content. */
  duplicates: number;
  /** Rejected rows, conflicting duplicates (same id, other content) included: rows = ingested + duplicates + rejected. */
  rejected: number;
  rejectsByReason: ReadSummary['rejectsByReason'];
  /** Path of the rejects file, or null when there were none. */
  rejectsFile: string | null;
  seconds: number;
  read: ReadSummary;
}

export async function ingestFile(store: Store, path: string, opts: IngestOptions = {}): Promise<IngestSummary> {
  const started = performance.now();
  const con = store.con;
  const dataset = datasetFor(path, opts);
  const stored = (await con.runAndReadAll('SELECT tz FROM incidents WHERE dataset = $1 LIMIT 1', [dataset])).getColumns()[0]?.[0];
  refuseOtherZone(path, dataset, stored as string | undefined, zoneFor(opts));
  // an in-memory store holds everything in RAM anyway, and would spill to ./.tmp (raw data in the working directory)
  const restoreMemory = store.path === ':memory:' ? async () => {}
    : await capMemory(con, opts.memoryLimit ?? (process.env.CRIMECAST_INGEST_MEMORY || INGEST_MEMORY_LIMIT));
  try {
    return await ingestInTransaction(store, path, opts, dataset, started);
  } finally {
    await restoreMemory();
  }
}

/**
 * Lower DuckDB's memory limit (an instance-wide setting) to `limit` unless it is already lower; returns the
 * function that puts the previous limit back.
 */
async function capMemory(con: DuckDBConnection, limit: string): Promise<() => Promise<void>> {
  const current = String((await con.runAndReadAll(`SELECT current_setting('memory_limit')`)).getColumns()[0][0]);
  const want = memoryBytes(limit);
  if (!Number.isFinite(want) || want <= 0) throw new UserError(`memory limit "${limit}" is not a size`, "give it as e.g. '512MB' or '2GB'");
  if (!(memoryBytes(current) > want)) return async () => {};
  await con.run(`SET memory_limit = '${Math.floor(want)}B'`);
  return async () => {
    // the ingest's own outcome (committed, or an error saying nothing was) must not be masked by this SET failing
    try {
      // RESET gives the default back exactly (its text, e.g. '18.8 GiB', is rounded); a limit someone set is re-set from that text
      await con.run('RESET memory_limit');
      const now = String((await con.runAndReadAll(`SELECT current_setting('memory_limit')`)).getColumns()[0][0]);
      if (now !== current) await con.run(`SET memory_limit = '${current.replaceAll("'", "''")}'`);
    } catch { /* limit stays capped */ }
  };
}

/** Bytes of a size text as DuckDB writes or reads it ('18.8 GiB', '512MB', '1.5GB'); NaN when unreadable. */
export function memoryBytes(text: string): number {
  const m = /^\s*([\d.]+)\s*([KMGT]?)(i?)B?\s*$/i.exec(text);
  if (!m) return NaN;
  const pow = ' KMGT'.indexOf(m[2].toUpperCase() || ' ');
  return Number(m[1]) * (m[3] ? 1024 : 1000) ** pow;
}

async function ingestInTransaction(store: Store, path: string, opts: IngestOptions, dataset: string, started: number): Promise<IngestSummary> {
  const con = store.con;
  let stager: ChunkStager | null = null;
  let committed: string | null = null;
  try {
    // rows stream from the reader into a temp stage table, one batch at a time; the table's layout (hashed ids or
    // not, attributes or not) is known once the reader has bound the columns. The stage is written BEFORE the
    // transaction opens: a temp table filled inside it is transaction-local storage, which DuckDB scans on one
    // thread, and the merge that reads it took twice as long (10M rows: 7.5 vs 3.9 s). The store itself is only
    // written in the transaction below, so an ingest that fails or is killed while staging still leaves it unchanged.
    let staged = 0;
    let categories: string[] = [];
    const stage = async (acc: IncidentAccumulator) => {
      const c = acc.drain({ hashLanes: true, reuse: true }); // stager.append copies every value before returning
      categories = c.categories;
      stager ??= await ChunkStager.open(con, { hashed: acc.hashedIds, attrs: c.attrNames.length > 0 });
      stager.append(c);
      staged += c.n;
    };
    const scan = await scanIncidentFile(path, opts, async (acc) => {
      await stage(acc);
      opts.onStage?.(staged);
    }, { idSlots: true, countRepeats: true });
    await stage(scan.acc);
    (stager as ChunkStager | null)!.close();
    const layout = (stager as ChunkStager | null)!.layout;
    stager = null;
    opts.onStage?.(staged);
    const read = scan.summary();
    await stageCategories(con, categories);
    await con.run('BEGIN TRANSACTION');
    // the stage decoded: category names, and hashed ids as their "h" + 16 hex digits text (as hashHex writes it)
    const idExpr = layout.hashed ? `printf('h%08x%08x', s.ha, s.hb)` : 's.id';
    const attrsExpr = layout.attrs ? 'CAST(s.attrs AS JSON)' : 'NULL::JSON';

    // Rows whose key repeats within the file, numbered by line: the only rows that need a window. One hash
    // aggregate finds them; numbering every row instead (a window over the whole file, twice) took 71 of the
    // 116 s of a 10M-row ingest, and joined the file with itself to look for conflicts.
    // Source ids are grouped by their 64-bit hash (a fixed-width key: less memory than the strings); a collision
    // only adds candidates, which the window then tells apart by the id itself.
    // Content-hashed rows: the reader has counted the repeats as the rows streamed in (the rows after the first of
    // each content; the merge reads a missing row as a first occurrence), unless there were too many distinct rows
    // to count in memory.
    const [gkey, part] = layout.hashed ? ['(ha::UBIGINT << 32) | hb', 's.ha, s.hb'] : ['hash(id)', 's.id'];
    const counted = layout.hashed ? scan.acc.repeatedRows() : null;
    if (counted) await stageRepeats(con, counted);
    else {
      await con.run(`CREATE OR REPLACE TEMP TABLE stage_rep AS
        SELECT s.line, row_number() OVER (PARTITION BY ${part} ORDER BY s.line) AS rn
        FROM (SELECT *, ${gkey} AS k FROM stage) s SEMI JOIN (SELECT ${gkey} AS k FROM stage GROUP BY 1 HAVING count(*) > 1) d ON d.k = s.k`);
    }

    // Same id, other content (time, category or location) than the stored row, or than the file's first row of
    // that id: a conflict, kept aside as a reject with its line. Identical repeats are plain duplicates. Only rows
    // whose id repeats in the file or is already stored can conflict.
    // Nothing can conflict when the dataset holds no rows and no id repeats in the file (a first ingest of a
    // source with unique ids): the query is then skipped (~2 s of a 10M-row ingest, bench/ingest.mjs).
    const mayConflict = !layout.hashed && (
      Number((await con.runAndReadAll('SELECT count(*) FROM stage_rep')).getColumns()[0][0]) > 0 ||
      (await con.runAndReadAll('SELECT 1 FROM incidents WHERE dataset = $1 LIMIT 1', [dataset])).currentRowCount > 0);
    const conflictLines = !mayConflict ? [] : ((await con.runAndReadAll(
      `WITH e AS (SELECT i.id, epoch_ms(i.t) AS t, i.category, i.lat, i.lon FROM incidents i SEMI JOIN stage ON stage.id = i.id WHERE i.dataset = $1),
       s AS (SELECT s.id, CAST(s.t_ms AS BIGINT) AS t, c.category, s.lat, s.lon, s.line, coalesce(r.rn, 1) AS rn
             FROM stage s JOIN stage_cat c ON c.code = s.cat LEFT JOIN stage_rep r ON r.line = s.line
             WHERE r.line IS NOT NULL OR s.id IN (SELECT id FROM e)),
       ref AS (SELECT * FROM e UNION ALL (SELECT s.id, s.t, s.category, s.lat, s.lon FROM s ANTI JOIN e ON e.id = s.id WHERE s.rn = 1))
       SELECT s.line FROM s JOIN ref ON ref.id = s.id
       WHERE s.t <> ref.t OR s.category <> ref.category OR s.lat <> ref.lat OR s.lon <> ref.lon ORDER BY s.line`, [dataset],
    )).getColumns()[0] ?? []).map(Number);

    // Source ids: the first row of each id wins. Content hashes: the k-th identical row (by line) gets "-k", which
    // reproduces the ids readIncidentFile gives. Either way, ids already in the dataset are skipped.
    // The merge uses DuckDB's threads. It ran on one while the stage was transaction-local (a one-thread scan
    // anyway), to save memory; with the stage committed, two threads take 10M rows from 7.0 to 3.4 s and 321k
    // rows from 0.40 to 0.28 s (insert + commit) for +38 MB peak at 321k and none at 10M (bench/ingest.mjs).
    // Content-hashed rows are stored as the hash (and the "-k" text for repeats: see INCIDENTS_VIEW). A dataset with
    // no rows yet has no ids to skip: the anti join (and the id text it joins on) is left out.
    const stored = (await con.runAndReadAll('SELECT 1 FROM incidents WHERE dataset = $1 LIMIT 1', [dataset])).currentRowCount > 0;
    const source = await sourceFor(con, dataset, read.tz, read.file);
    const fid = `CASE WHEN r.rn IS NULL OR r.rn = 1 THEN ${idExpr} ELSE ${idExpr} || '-' || r.rn END`;
    const [idCol, hashCol] = layout.hashed ? ['CASE WHEN s.rn > 1 THEN s.fid END', '(s.ha::UBIGINT << 32) | s.hb'] : ['s.fid', 'NULL'];
    const res = await con.run(
      `INSERT INTO incident_rows (source, id, t, category, lat, lon, attrs, source_line, hash)
       SELECT $1, ${idCol}, make_timestamp(CAST(s.t_ms AS BIGINT) * 1000), c.category, s.lat, s.lon, ${attrsExpr}, s.line, ${hashCol}
       FROM (SELECT s.*, coalesce(r.rn, 1) AS rn, ${stored || !layout.hashed ? fid : `CASE WHEN r.rn > 1 THEN ${fid} END`} AS fid
             FROM stage s LEFT JOIN stage_rep r ON r.line = s.line) s
       JOIN stage_cat c ON c.code = s.cat
       ${stored ? 'ANTI JOIN (SELECT id FROM incidents WHERE dataset = $3) e ON e.id = s.fid' : ''}
       WHERE $2 OR s.rn = 1`,
      stored ? [source.id, read.hashedIds, dataset] : [source.id, read.hashedIds],
    );
    const ingested = Number(res.rowsChanged);
    // a file that added nothing leaves no source row behind
    if (source.created && ingested === 0) await con.run('DELETE FROM incident_sources WHERE source = $1', [source.id]);
    opts.onStep?.('merged');
    // a re-ingest of the same file replaces that file's rejects instead of repeating them
    await con.run('DELETE FROM rejects WHERE dataset = $1 AND file = $2', [dataset, read.file]);
    const conflicts = await conflictRejects(path, opts, read.file, conflictLines);
    const rejects = conflicts.length ? [...scan.acc.rejects, ...conflicts].sort((a, b) => a.line - b.line) : scan.acc.rejects;
    if (rejects.length) {
      const ra = await con.createAppender('rejects');
      const now = new Date().toISOString().replace('T', ' ').replace('Z', '');
      for (const r of rejects) {
        ra.appendVarchar(dataset); ra.appendVarchar(r.file); ra.appendInteger(r.line); ra.appendVarchar(r.reason);
        ra.appendVarchar(r.field); ra.appendVarchar(r.raw); ra.appendVarchar(now);
        ra.endRow();
      }
      ra.flushSync();
      ra.closeSync();
    }
    const seconds = (performance.now() - started) / 1000;
    const out: IngestSummary = {
      file: read.file, dataset, rows: read.rows, ingested, duplicates: read.accepted - ingested - conflicts.length, rejected: rejects.length,
      rejectsByReason: conflicts.length ? { ...read.rejectsByReason, 'conflicting-duplicate': conflicts.length } : read.rejectsByReason,
      rejectsFile: null, seconds, read,
    };
    await con.run('INSERT INTO ingests VALUES ($1, $2, $3, $4, $5, $6, $7, now()::TIMESTAMP)',
      [dataset, out.file, out.rows, out.ingested, out.duplicates, out.rejected, seconds]);
    await con.run('DROP TABLE temp.stage');
    await con.run('DROP TABLE temp.stage_cat');
    await con.run('DROP TABLE temp.stage_rep');
    // written before COMMIT: an unwritable path or a full disk then leaves the store unchanged, not half-reported
    if (rejects.length) out.rejectsFile = await writeRejectsFile(opts.rejectsPath ?? defaultRejectsPath(store, dataset, read.file), rejects);
    const commit = con.run('COMMIT');
    opts.onStep?.('committing');
    await commit;
    committed = `committed: ${ingested} new incidents in dataset "${dataset}"`;
    opts.onStep?.('committed');
    return out;
  } catch (err) {
    if (committed === null) {
      (stager as ChunkStager | null)?.abandon();
      // DuckDB has already ended the transaction after some failures (a failed COMMIT): that is not the error to show
      try { await con.run('ROLLBACK'); } catch { /* nothing left to roll back */ }
      // the stage lives outside the transaction: free it now rather than when the connection closes
      for (const t of ['stage', 'stage_cat', 'stage_rep']) try { await con.run(`DROP TABLE IF EXISTS temp.${t}`); } catch { /* gone with the connection */ }
    }
    const failure = ingestFailure(err, path, committed);
    throw failure;
  }
}

/** The incident_sources row of a file of a dataset: the existing one (a re-ingest), else a new one. */
async function sourceFor(con: DuckDBConnection, dataset: string, tz: string, file: string): Promise<{ id: number; created: boolean }> {
  const found = (await con.runAndReadAll(
    'SELECT source FROM incident_sources WHERE dataset = $1 AND tz = $2 AND source_file = $3 LIMIT 1', [dataset, tz, file])).getColumns()[0]?.[0];
  if (found !== undefined) return { id: Number(found), created: false };
  const id = Number((await con.runAndReadAll('SELECT coalesce(max(source), 0) + 1 FROM incident_sources')).getColumns()[0][0]);
  await con.run('INSERT INTO incident_sources VALUES ($1, $2, $3, $4)', [id, dataset, tz, file]);
  return { id, created: true };
}

function defaultRejectsPath(store: Store, dataset: string, file: string): string {
  const base = store.path === ':memory:' ? resolve('.crimecast') : dirname(store.path);
  return resolve(base, 'rejects', dataset.replace(/[^\w.-]+/g, '_'), `${file}.rejects.jsonl`);
}

