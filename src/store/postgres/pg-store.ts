/** The PostgreSQL/PostGIS incident store: a connection pool, the schema ensured on open. */
import pg from 'pg';
import { UserError } from '../../util/errors.js';
import { redactUrl } from '../location.js';
import type { IncidentStore } from '../types.js';
import { pgIngestFile } from './ingest.js';
import { pgLoadIncidents, pgStoreInfo } from './query.js';
import { ensureSchema } from './schema.js';

/** A pool for a postgres:// URL; connection failures become a UserError naming the (password-less) URL. */
export async function connectPool(url: string, max = 4): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: url, max });
  // an idle client losing its server must not crash the process; the next query reports it
  pool.on('error', () => undefined);
  try {
    (await pool.connect()).release();
  } catch (err) {
    await pool.end();
    throw new UserError(`cannot connect to PostgreSQL at ${redactUrl(url)}: ${(err as Error).message}`,
      'check the server is running and the URL (postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE)');
  }
  return pool;
}

export class PgIncidentStore implements IncidentStore {
  readonly kind = 'postgres' as const;
  readonly location: string;
  private constructor(readonly pool: pg.Pool, url: string) { this.location = redactUrl(url); }

  static async open(url: string): Promise<PgIncidentStore> {
    const pool = await connectPool(url);
    const client = await pool.connect();
    try {
      await ensureSchema(client);
    } catch (err) {
      client.release();
      await pool.end();
      throw err;
    }
    client.release();
    return new PgIncidentStore(pool, url);
  }

  ingestFile: IncidentStore['ingestFile'] = (path, opts) => pgIngestFile(this.pool, path, opts);
  loadIncidents: IncidentStore['loadIncidents'] = (q) => pgLoadIncidents(this.pool, q);
  info: IncidentStore['info'] = (dataset) => pgStoreInfo(this.pool, this.location, dataset);
  async close(): Promise<void> { await this.pool.end(); }
}
