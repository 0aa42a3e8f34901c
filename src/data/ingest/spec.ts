/** What a reader needs to know about a source's columns: filled from a preset, then overridden by generic flags. */
import type { TimeFormat } from './time-parse.js';

/** Encodings of --encoding (decoded by Node's TextDecoder; latin1 is read as its superset windows-1252). */
export const ENCODINGS = ['utf-8', 'latin1', 'windows-1252'] as const;
export type Encoding = (typeof ENCODINGS)[number];

export interface ColumnSpec {
  /** Id column(s); several are joined with ":", escaping ":" and "\\" inside a part (Denver: INCIDENT_ID + OFFENSE_ID). None → content hash. */
  id?: string[];
  /** A full date-time column, or — when `date` is also given — a time-of-day column. */
  time?: string;
  /** A date column (date-only sources are placed at local midnight). */
  date?: string;
  lat?: string;
  lon?: string;
  /** Projected coordinates in `crs` (used when lat/lon are absent, invalid, or `coords: 'xy'`). */
  x?: string;
  y?: string;
  crs?: string;
  category?: string;
  /** Extra columns kept as string attributes. */
  attrs?: string[];
}

/** auto = lat/lon when valid, else x/y; xy-then-latlon the reverse; latlon / xy use only that pair. */
export type CoordPreference = 'auto' | 'latlon' | 'xy' | 'xy-then-latlon';

export interface Preset {
  name: string;
  description: string;
  /** IANA zone of the source's local times. */
  tz: string;
  /** Does the file start with a header row? */
  header: boolean;
  /** Column names of a headerless file, in order. */
  names?: string[];
  columns: ColumnSpec;
  timeFormat?: TimeFormat;
  /** Which location wins when both lat/lon and x/y exist (default auto). */
  coords?: CoordPreference;
  /** [minLon, minLat, maxLon, maxLat] around the city with a margin: points outside (swapped lat/lon) are rejects. */
  bbox: [number, number, number, number];
}

/** Options of readIncidentFile / ingestFile (all optional; a preset fills the rest). */
export interface ReadOptions {
  preset?: string;
  format?: 'csv' | 'geojson' | 'parquet';
  timeCol?: string;
  dateCol?: string;
  latCol?: string;
  lonCol?: string;
  xCol?: string;
  yCol?: string;
  categoryCol?: string;
  /** One or more id columns, comma-separated. */
  idCol?: string;
  attrCols?: string[];
  timeFormat?: TimeFormat;
  crs?: string;
  tz?: string;
  /** false for a headerless file (columns are then named col1, col2, … unless the preset names them). */
  header?: boolean;
  delimiter?: string;
  coords?: CoordPreference;
  /** Skip the first data row (reproduces the ST-SHN script, which skipped a header the file does not have). */
  dropFirstRow?: boolean;
  /** Reject points outside [minLon, minLat, maxLon, maxLat]. Default: the preset's box; null: no box. */
  bbox?: [number, number, number, number] | null;
  /** Plausible years of incident times, inclusive (default 1900-2100); times outside are rejects. */
  years?: [number, number];
  /** Text encoding of a CSV or GeoJSON file (default utf-8). */
  encoding?: Encoding;
  /**
   * Threads that read a CSV file (1 or 2; default $CRIMECAST_READ_THREADS, else 2 on a machine with two cores).
   * The result is the same either way; files under 32 MB are read on one.
   */
  readThreads?: number;
  /**
   * Byte size of the ranges the two read threads share (default: a 32nd of the file, 1–8 MB). Setting it also reads
   * files under 32 MB on two threads (tests use a few hundred bytes to put cuts inside records).
   */
  rangeBytes?: number;
  /** Called now and then with bytes read and the file size. */
  onProgress?: (done: number, total: number) => void;
}
