/**
 * DuckDB's Node API, loaded with require(): the package is CommonJS, and importing it from ESM makes Node lex every
 * one of its files for named exports first (cjs-module-lexer: ~60–80 ms of every command that opens a store;
 * bench/start-up.mjs, bench/ingest.mjs). Values come from here; types may still be imported from the package.
 */
import { createRequire } from 'node:module';

const duckdb = createRequire(import.meta.url)('@duckdb/node-api') as typeof import('@duckdb/node-api');

export const { DuckDBInstance, DuckDBDataChunk, DOUBLE, INTEGER, UINTEGER, USMALLINT, VARCHAR } = duckdb;

/**
 * Calls of the low-level bindings (the package @duckdb/node-api itself is built on) that the API does not
 * expose: a memcpy of raw bytes into a vector's data, which its numeric vectors use in flush(). Staging writes whole
 * VARCHAR vectors of short strings with it (stage-chunks.ts) instead of one native call per string.
 */
const bindings = createRequire(import.meta.url)('@duckdb/node-bindings') as {
  copy_data_to_vector(vector: unknown, offset: number, buffer: ArrayBufferLike, byteOffset: number, byteLength: number): void;
  data_chunk_get_vector(chunk: unknown, column: number): unknown;
};
export const copyDataToVector = bindings.copy_data_to_vector;
/**
 * A data chunk's raw vector, for filling a numeric column with one copyDataToVector: the API's vector objects copy
 * the data out and back (three copies and two objects per column per 2,048 rows, 9% of staging CHI_Crime.csv).
 */
export const dataChunkGetVector = bindings.data_chunk_get_vector;
// the classes' instance types under the same names, as a class import would give them
export type DuckDBInstance = import('@duckdb/node-api').DuckDBInstance;
export type DuckDBDataChunk = import('@duckdb/node-api').DuckDBDataChunk;
