/**
 * Rows of a long CSV or Parquet file as header names plus records with their line numbers (CSV: the physical
 * line; Parquet: the row number). Reuses the ingest tokenizer and Parquet reader.
 */
import { createReadStream } from 'node:fs';
import { recordFields, tokenizeCsv, type RowBatch } from '../../data/ingest/csv-tokenizer.js';
import { readParquetRows } from '../../data/ingest/parquet-source.js';
import { UserError } from '../../util/errors.js';

export interface TableRow { line: number; fields: string[] }

export async function readTableRows(file: string): Promise<{ header: string[]; rows: TableRow[]; lineWord: string }> {
  const rows: TableRow[] = [];
  const take = (b: RowBatch, skipFirst: boolean) => {
    for (let i = skipFirst ? 1 : 0; i < b.n; i++) {
      if (b.malformed?.[i]) throw new UserError(`${file} line ${b.line[i]}: unterminated quote`, 'close the quoted field or remove the stray quote');
      rows.push({ line: b.line[i], fields: recordFields(b, i) });
    }
  };
  try {
    if (/\.parquet$/i.test(file)) {
      let header: string[] = [];
      for await (const { names, batch } of readParquetRows(file)) { header = names; take(batch, false); }
      return { header, rows, lineWord: 'row' };
    }
    let header: string[] | undefined;
    for await (const batch of tokenizeCsv(createReadStream(file, { encoding: 'utf8' }))) {
      const first = header === undefined;
      if (first) header = recordFields(batch, 0).map((h) => h.trim());
      take(batch, first);
    }
    if (!header) throw new UserError(`${file} is empty`, 'give a header row and one row per (unit, period[, category]) with a value');
    return { header, rows, lineWord: 'line' };
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`cannot read ${file}: ${(err as Error).message}`);
  }
}
