/**
 * Parquet → RowBatches through DuckDB's read_parquet (an in-memory instance; the store is not touched).
 * Every column is cast to VARCHAR so the same validation path serves CSV, GeoJSON and Parquet alike.
 */
import { DuckDBInstance } from '../duckdb.js';
import { basename } from 'node:path';
import { UserError } from '../../util/errors.js';
import type { RowBatch } from './csv-tokenizer.js';

export async function* readParquetRows(path: string): AsyncGenerator<{ names: string[]; batch: RowBatch }> {
  const inst = await DuckDBInstance.create(':memory:');
  const con = await inst.connect();
  try {
    const lit = `'${path.replaceAll("'", "''")}'`;
    const result = await con.stream(`SELECT COLUMNS(*)::VARCHAR FROM read_parquet(${lit})`).catch((e: unknown) => { throw notParquet(path, e); });
    const names = result.columnNames();
    const w = names.length;
    let rowNo = 0;
    for (;;) {
      const chunk = await result.fetchChunk().catch((e: unknown) => { throw notParquet(path, e); });
      if (!chunk || chunk.rowCount === 0) break;
      const n = chunk.rowCount;
      const cols = chunk.getColumns() as (string | null)[][];
      const fields = new Array<string>(n * w);
      const fieldStart = new Int32Array(n + 1), line = new Int32Array(n), rawStart = new Int32Array(n), rawEnd = new Int32Array(n);
      const raws: string[] = new Array(n);
      let off = 0;
      for (let i = 0; i < n; i++) {
        fieldStart[i] = i * w;
        line[i] = ++rowNo;
        for (let k = 0; k < w; k++) fields[i * w + k] = cols[k][i] ?? '';
        raws[i] = JSON.stringify(names.map((_, k) => cols[k][i]));
        rawStart[i] = off; off += raws[i].length; rawEnd[i] = off; off += 1;
      }
      fieldStart[n] = n * w;
      yield { names, batch: { n, fields, fieldStart, line, text: raws.join('\n'), rawStart, rawEnd } };
    }
  } finally {
    con.closeSync();
    inst.closeSync();
  }
}

/** DuckDB's reason (its first line, which names the file but quotes no content) as a UserError. */
function notParquet(path: string, e: unknown): UserError {
  const why = String((e as Error)?.message ?? e).split('\n')[0].replaceAll(path, basename(path)).slice(0, 200);
  return new UserError(`${path}: not a readable Parquet file (${why})`, 'check that the file is complete (not truncated) and really Parquet, or give its real format with the right extension');
}
