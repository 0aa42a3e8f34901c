/**
 * A published forecast as a file to download: the same exporters as `crimecast forecast --out` (src/forecast),
 * written from the publication's per-region forecast, so every format carries the same columns, period and units.
 * GeoJSON is the publication's own bytes, exactly what GET /api/forecasts/{id} returns. The other formats take
 * 0.5–1.5 s for ~23,000 cells, so they are written in a worker thread when the compiled worker exists.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';
import type { RegionForecast } from '../../forecast/produce.js';
import { unitsFromSpec } from '../../space/build-units.js';
import type { SpatialUnits } from '../../space/units.js';
import { runWorker } from './off-thread.js';
import { forecastGeoPackage } from '../../forecast/export-geopackage.js';
import { forecastKml } from '../../forecast/export-kml.js';
import { forecastShapefileFiles } from '../../forecast/export-shapefile.js';
import { periodsCsv, regionTable, regionTableCsv, topPlaces, topPlacesCsv } from '../../forecast/region-table.js';
import type { Publication } from './forecasts.js';

export const FORECAST_EXPORT_FORMATS = ['geojson', 'csv', 'periods', 'gpkg', 'shp', 'kml', 'top'] as const;
export type ForecastExportFormat = (typeof FORECAST_EXPORT_FORMATS)[number];

/** What each format is, for the OpenAPI description and the 400 on an unknown one. */
export const FORECAST_EXPORT_HELP = 'geojson (GeoJSON), csv (one row per region: centroid, period, units), periods (CSV, one row per region and forecast period), gpkg (GeoPackage), shp (zipped Shapefile with a field list), kml (Google Earth), top (the top N places as CSV)';

const CONTENT_TYPE: Record<ForecastExportFormat, string> = {
  geojson: 'application/geo+json',
  csv: 'text/csv; charset=utf-8',
  periods: 'text/csv; charset=utf-8',
  gpkg: 'application/geopackage+sqlite3',
  shp: 'application/zip',
  kml: 'application/vnd.google-earth.kml+xml',
  top: 'text/csv; charset=utf-8',
};

const EXTENSION: Record<ForecastExportFormat, string> = { geojson: 'geojson', csv: 'csv', periods: 'periods.csv', gpkg: 'gpkg', shp: 'zip', kml: 'kml', top: 'top.csv' };

export interface ExportFile { bytes: Uint8Array<ArrayBuffer>; filename: string; contentType: string }

/** A file name any system keeps: letters, digits, '.', '_' and '-' (a model spec's ':', '=' and ',' become '_'). */
export function fileSafe(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 80) || 'x';
}

/** "<dataset>-<model>-<first period's local date>", the name every format of one forecast shares. */
export function baseName(dataset: string, model: string, periodStart: string): string {
  return `${fileSafe(dataset)}-${fileSafe(model)}-${fileSafe(periodStart.slice(0, 10))}`;
}

const utf8 = (s: string) => new TextEncoder().encode(s);

/** What a worker needs to write a file: the per-region forecast, the unit set by spec, and the names. */
export interface ExportInput {
  product: RegionForecast; unitsSpec: Record<string, unknown>; dataset: string; model: string; from: string;
  /** Expected incidents per forecast period and region (periods × regions), for `periods`. */
  periodMean: Float32Array;
}

export const EXPORT_WORKER = fileURLToPath(new URL('../../../dist/serve/services/export-worker.js', import.meta.url));

/** The publication in one format; `top` lists the N highest-ranked regions. Off the event loop when `threads` and the worker is built. */
export async function forecastExport(p: Publication, format: ForecastExportFormat, top: number, threads = false): Promise<ExportFile> {
  if (format === 'geojson') return { bytes: p.geojson, filename: `${baseName(p.request.dataset, p.request.model, p.summary.from)}.geojson`, contentType: CONTENT_TYPE.geojson };
  const input: ExportInput = { product: p.product, unitsSpec: p.units.spec, dataset: p.request.dataset, model: p.request.model, from: p.summary.from, periodMean: p.forecast.mean };
  if (threads && existsSync(EXPORT_WORKER)) return runWorker<ExportFile>(EXPORT_WORKER, { input, format, top }, 'export');
  return writeExport(input, p.units, format, top);
}

/** One file from an export input (in the worker, `units` is rebuilt from the spec). */
export async function writeExport(i: ExportInput, units: SpatialUnits | null, format: Exclude<ForecastExportFormat, 'geojson'>, top: number): Promise<ExportFile> {
  const base = baseName(i.dataset, i.model, i.from);
  const out = (bytes: Uint8Array<ArrayBuffer>): ExportFile => ({ bytes, filename: `${base}.${EXTENSION[format]}`, contentType: CONTENT_TYPE[format] });
  const p = { product: i.product, units: units ?? unitsFromSpec(i.unitsSpec) };
  const table = regionTable(p.product, p.units);
  switch (format) {
    case 'csv': return out(utf8(regionTableCsv(table)));
    case 'periods': return out(utf8(periodsCsv(table, p.product, i.periodMean)));
    case 'top': return out(utf8(topPlacesCsv(topPlaces(p.product, p.units, top, table), table.periodStart, table.periodEnd)));
    case 'kml': return out(utf8(forecastKml(p.product, p.units, table)));
    case 'gpkg': return out(new Uint8Array(await forecastGeoPackage(p.product, p.units, { table, top })));
    case 'shp': {
      const zip = new JSZip();
      for (const f of forecastShapefileFiles(base, p.product, p.units, table).files) zip.file(f.name, f.bytes);
      return out(await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' }) as Uint8Array<ArrayBuffer>);
    }
  }
}

/** Content-Disposition for a download under a file-safe name. */
export function attachment(filename: string): string {
  return `attachment; filename="${filename}"`;
}
