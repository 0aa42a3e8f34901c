/**
 * DuckDB's Node API, loaded with require(): the package is CommonJS, and importing it from ESM makes Node lex every
 * one of its files for named exports first (cjs-module-lexer: ~60–80 ms of every command that opens a store;
 * bench/start-up.mjs, bench/ingest.mjs). Values come from here; types may still be imported from the package.
 */
import { createRequire } from 'node:module';

const duckdb = createRequire(import.meta.url)('@duckdb/node-api') as typeof import('@duckdb/node-api');

export const { DuckDBInstance, DuckDBDataChunk, DOUBLE, INTEGER, UINTEGER, USMALLINT, VARCHAR } = duckdb;
// the classes' instance types under the same names, as a class import would give them
export type DuckDBInstance = import('@duckdb/node-api').DuckDBInstance;
export type DuckDBDataChunk = import('@duckdb/node-api').DuckDBDataChunk;
