/**
 * Ingest into PostgreSQL with the embedded store's guarantees: the file streams through COPY into a temp stage
 * table inside one transaction, and one INSERT … SELECT merges it — repeats numbered by line exactly as the
 * embedded store does, rows already in the dataset skipped by the primary key — so a failure or a killed process
 * leaves the store as it was, a re-ingest adds nothing, and rejects (replaced per file) are kept in the table and
 * in a private JSON Lines file.
 */
import type { Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { resolve } from 'node:path';
import { attrsToJson, type IngestOptions, type IngestSummary } from '../../data/store.js';
import { scanIncidentFile } from '../../data/ingest/read.js';
import type { IncidentAccumulator } from '../../data/ingest/normalize.js';
import type { Reject } from '../../data/ingest/reject.js';
import { writeRejectsFile } from '../../data/ingest/rejects-file.js';
import { conflictRejects, datasetFor, ingestFailure, refuseOtherZone, zoneFor } from '../../data/ingest/ingest-checks.js';
import { copyField } from './copy-text.js';

type Drained = ReturnType<IncidentAccumulator['drain']>;

export async function pgIngestFile(pool: Pool, path: string, opts: IngestOptions = {}): Promise<IngestSummary> {
  const started = performance.now();
  const dataset = datasetFor(path, opts);
  const tz = zoneFor(opts);
  const client = await pool.connect();
  let broken = false;
  let committed: string | null = null;
  try {
    const stored = (await client.query('SELECT tz FROM incidents WHERE dataset = $1 LIMIT 1', [dataset])).rows[0]?.tz as string | undefined;
    refuseOtherZone(path, dataset, stored, tz);
    await client.query('BEGIN');
    try {
      await client.query(`CREATE TEMP TABLE stage (id text, t_ms double precision, category text, lat double precision,
        lon double precision, attrs text, line integer) ON COMMIT DROP`);
      // one COPY for the whole file; each batch is written as it is read, waiting whenever the socket is full
      const copy = client.query(copyFrom('COPY stage FROM STDIN'));
      const copyDone = new Promise<void>((ok, fail) => { copy.on('finish', ok); copy.on('error', fail); });
      const write = async (text: string) => {
        if (!copy.write(text)) await new Promise<void>((ok, fail) => { copy.once('drain', ok); copy.once('error', fail); });
      };
      let staged = 0;
      const stageBatch = async (c: Drained) => {
        if (c.n) await write(copyRows(c));
        staged += c.n;
        opts.onStage?.(staged);
      };
      let scan;
      try {
        scan = await scanIncidentFile(path, opts, (acc) => stageBatch(acc.drain()));
        await stageBatch(scan.acc.drain());
      } catch (err) {
        copy.destroy(err as Error);
        await copyDone.catch(() => undefined);
        throw err;
      }
      copy.end();
      await copyDone;
      const read = scan.summary();

      // the embedded store's conflict rule: same id, other time/category/location than the stored row (or the file's first)
      const conflictLines = read.hashedIds ? [] : (await client.query(
        `WITH s AS (SELECT id, round(t_ms)::bigint AS t, category, lat, lon, line, row_number() OVER (PARTITION BY id ORDER BY line) AS rn FROM stage),
         e AS (SELECT i.id, round(extract(epoch FROM i.t) * 1000)::bigint AS t, i.category, i.lat, i.lon FROM incidents i
               WHERE i.dataset = $1 AND i.id IN (SELECT id FROM stage)),
         ref AS (SELECT * FROM e UNION ALL SELECT s.id, s.t, s.category, s.lat, s.lon FROM s WHERE s.rn = 1 AND NOT EXISTS (SELECT 1 FROM e WHERE e.id = s.id))
         SELECT s.line FROM s JOIN ref ON ref.id = s.id
         WHERE s.t <> ref.t OR s.category <> ref.category OR s.lat <> ref.lat OR s.lon <> ref.lon ORDER BY s.line`, [dataset],
      )).rows.map((r) => Number(r.line));

      // the embedded store's id rule: a source id's first row (by line) wins; the k-th identical hashed row gets "-k"
      const res = await client.query(
        `INSERT INTO incidents (dataset, id, t, tz, category, lat, lon, attrs, source_file, source_line)
         SELECT $1, s.fid, to_timestamp(round(s.t_ms) / 1000), $2, s.category, s.lat, s.lon, s.attrs::jsonb, $3, s.line
         FROM (SELECT *, CASE WHEN rn = 1 THEN id ELSE id || '-' || rn END AS fid
               FROM (SELECT *, row_number() OVER (PARTITION BY id ORDER BY line) AS rn FROM stage) numbered
               WHERE $4 OR rn = 1) s
         ON CONFLICT (dataset, id) DO NOTHING`,
        [dataset, read.tz, read.file, read.hashedIds],
      );
      const ingested = res.rowCount ?? 0;
      opts.onStep?.('merged'); // test-only crash hook (IngestOptions.onStep)
      // a re-ingest of the same file replaces that file's rejects instead of repeating them
      await client.query('DELETE FROM rejects WHERE dataset = $1 AND file = $2', [dataset, read.file]);
      const conflicts = await conflictRejects(path, opts, read.file, conflictLines);
      const rejects = conflicts.length ? [...scan.acc.rejects, ...conflicts].sort((a, b) => a.line - b.line) : scan.acc.rejects;
      if (rejects.length) await copyRejects(client, dataset, rejects);
      const seconds = (performance.now() - started) / 1000;
      const out: IngestSummary = {
        file: read.file, dataset, rows: read.rows, ingested, duplicates: read.accepted - ingested - conflicts.length, rejected: rejects.length,
        rejectsByReason: conflicts.length ? { ...read.rejectsByReason, 'conflicting-duplicate': conflicts.length } : read.rejectsByReason,
        rejectsFile: null, seconds, read,
      };
      await client.query('INSERT INTO ingests VALUES ($1, $2, $3, $4, $5, $6, $7, now())',
        [dataset, out.file, out.rows, out.ingested, out.duplicates, out.rejected, seconds]);
      // written before COMMIT: an unwritable path or a full disk then leaves the store unchanged
      if (rejects.length) out.rejectsFile = await writeRejectsFile(opts.rejectsPath ?? defaultRejectsPath(dataset, read.file), rejects);
      const commit = client.query('COMMIT');
      opts.onStep?.('committing');
      await commit;
      committed = `committed: ${ingested} new incidents in dataset "${dataset}"`;
      opts.onStep?.('committed');
      return out;
    } catch (err) {
      if (committed === null) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true; // the connection is unusable (e.g. mid-COPY): discard it rather than return it to the pool
        }
      }
      throw err;
    }
  } catch (err) {
    throw ingestFailure(err, path, committed);
  } finally {
    client.release(broken);
  }
}

/** Rejects of a server store go under .crimecast/rejects in the working directory (there is no store folder). */
function defaultRejectsPath(dataset: string, file: string): string {
  return resolve('.crimecast', 'rejects', dataset.replace(/[^\w.-]+/g, '_'), `${file}.rejects.jsonl`);
}

function copyRows(c: Drained): string {
  const { id, t, lat, lon, cat, categories, lines } = c;
  const attrJson = attrsToJson(c.attrNames, c.attrs);
  const catText = categories.map(copyField);
  let s = '';
  for (let i = 0; i < c.n; i++) {
    s += `${copyField(id[i])}\t${t[i]}\t${catText[cat[i]]}\t${lat[i]}\t${lon[i]}\t${copyField(attrJson?.(i))}\t${lines[i]}\n`;
  }
  return s;
}

async function copyRejects(client: import('pg').PoolClient, dataset: string, rejects: readonly Reject[]): Promise<void> {
  const ds = copyField(dataset);
  const rows = rejects.map((r) => `${ds}\t${copyField(r.file)}\t${r.line}\t${copyField(r.reason)}\t${copyField(r.field)}\t${copyField(r.raw)}\n`);
  await pipeline(Readable.from(rows), client.query(copyFrom(
    'COPY rejects (dataset, file, line, reason, field, raw) FROM STDIN')));
}
