/**
 * The PostgreSQL store's tables: the same columns as the embedded store, plus a PostGIS point (generated from
 * lon/lat, so the two can never disagree) with a GiST index for spatial selections, and a btree on (dataset, t)
 * for time windows. Unlike DuckDB, PostgreSQL enforces (dataset, id) uniqueness cheaply with its primary key,
 * which also makes concurrent ingests from several processes safe.
 */
import type { PoolClient } from 'pg';
import { UserError } from '../../util/errors.js';

const TABLES = [
  `CREATE TABLE IF NOT EXISTS incidents (
     dataset text NOT NULL,
     id text NOT NULL,
     t timestamptz NOT NULL,
     tz text NOT NULL,
     category text NOT NULL,
     lat double precision NOT NULL,
     lon double precision NOT NULL,
     geom geometry(Point, 4326) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED,
     attrs jsonb,
     source_file text NOT NULL,
     source_line integer NOT NULL,
     PRIMARY KEY (dataset, id))`,
  'CREATE INDEX IF NOT EXISTS incidents_geom_idx ON incidents USING gist (geom)',
  'CREATE INDEX IF NOT EXISTS incidents_dataset_t_idx ON incidents (dataset, t)',
  `CREATE TABLE IF NOT EXISTS rejects (
     dataset text NOT NULL, file text NOT NULL, line integer NOT NULL,
     reason text NOT NULL, field text NOT NULL, raw text, ingested_at timestamptz NOT NULL DEFAULT now())`,
  'CREATE INDEX IF NOT EXISTS rejects_dataset_file_idx ON rejects (dataset, file)',
  `CREATE TABLE IF NOT EXISTS ingests (
     dataset text NOT NULL, file text NOT NULL, rows bigint, ingested bigint, duplicates bigint,
     rejected bigint, seconds double precision, ingested_at timestamptz NOT NULL)`,
];

/** Any constant: serialises schema creation between processes opening the same database at once. */
const SCHEMA_LOCK = 0x63637374;

export async function ensureSchema(client: PoolClient): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
    const has = await client.query(`SELECT 1 FROM pg_extension WHERE extname = 'postgis'`);
    if (!has.rowCount) {
      try {
        await client.query('CREATE EXTENSION IF NOT EXISTS postgis');
      } catch (err) {
        throw new UserError(`PostGIS is not available in this database: ${(err as Error).message}`,
          'install it (Debian: apt-get install postgresql-15-postgis-3) and run CREATE EXTENSION postgis as a superuser');
      }
    }
    for (const sql of TABLES) await client.query(sql);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  }
}
