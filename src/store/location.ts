/**
 * Which store a --store argument (or $CRIMECAST_STORE) names: `postgres://…` / `postgresql://…` is a server,
 * `duckdb:PATH` or a bare path is an embedded file.
 */
import { storePath } from '../data/store.js';
import { UserError } from '../util/errors.js';

export type StoreLocation = { kind: 'duckdb'; path: string } | { kind: 'postgres'; url: string };

export function parseStoreLocation(arg?: string): StoreLocation {
  const s = (arg ?? process.env.CRIMECAST_STORE ?? '').trim();
  if (/^postgres(ql)?:\/\//i.test(s)) {
    try {
      new URL(s);
    } catch {
      throw new UserError(`bad PostgreSQL URL "${redactUrl(s)}"`, 'use postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE');
    }
    return { kind: 'postgres', url: s };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) {
    throw new UserError(`unsupported store URL "${redactUrl(s)}"`, 'use postgres://USER@HOST/DB, duckdb:PATH or a file path');
  }
  return { kind: 'duckdb', path: storePath(s.replace(/^duckdb:/i, '') || undefined) };
}

/** The URL with any password replaced by ***, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, '$1***@');
}
