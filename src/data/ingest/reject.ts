/** A malformed source row. `raw` holds the row's text so nothing is lost; it goes to the (private) rejects file only. */
export interface Reject {
  file: string;
  /** 1-based physical line where the row starts (GeoJSON: feature number; Parquet: row number). */
  line: number;
  reason: RejectReason;
  /** The offending column (or "*" for the whole row). */
  field: string;
  raw: string;
}

export type RejectReason =
  | 'column-count'
  | 'unterminated-quote'
  | 'bad-date'
  | 'time-out-of-range'
  | 'missing-category'
  | 'missing-coordinates'
  | 'non-finite-coordinates'
  | 'zero-coordinates'
  | 'coordinates-out-of-range'
  | 'outside-bbox'
  | 'lat-lon-swapped'
  | 'missing-id'
  | 'conflicting-duplicate'
  | 'nested-too-deep';

/** A one-line description safe for logs: file, line, reason and field — never row content. */
export function describeReject(r: Reject): string {
  return `${r.file}:${r.line}: ${r.reason} (${r.field})`;
}
