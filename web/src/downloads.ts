/**
 * Download links for a forecast and for the patrol plan: plain same-origin links to the export endpoints (the session
 * cookie goes with them), so the browser saves the server's file under the name it gives.
 */
import { h } from './dom.js';

export const FORECAST_FORMATS = [
  { format: 'gpkg', label: 'GeoPackage', title: 'OGC GeoPackage: QGIS, ArcGIS Pro' },
  { format: 'shp', label: 'Shapefile (zip)', title: 'zipped ESRI Shapefile with a field list' },
  { format: 'kml', label: 'KML', title: 'Google Earth' },
  { format: 'csv', label: 'CSV', title: 'one row per area with its centroid, period and units' },
  { format: 'periods', label: 'Per period (CSV)', title: 'one row per area and forecast period: for pivot tables' },
  { format: 'top', label: 'Top places (CSV)', title: 'the highest-risk places this period' },
  { format: 'geojson', label: 'GeoJSON', title: 'every feature carries its period and units' },
] as const;

export function forecastDownloads(id: number | string, topN = 20): HTMLElement {
  return h('div', { class: 'downloads', id: 'forecast-downloads' }, h('span', { class: 'muted' }, 'Download: '),
    ...FORECAST_FORMATS.map((f) => h('a', {
      class: 'button', id: `download-${f.format}`, title: f.title, download: '',
      href: `/api/forecasts/${encodeURIComponent(String(id))}/export?format=${f.format}${f.format === 'top' ? `&n=${topN}` : ''}`,
    }, f.label)));
}

export function planDownloads(): HTMLElement {
  return h('div', { class: 'downloads', id: 'plan-downloads' }, h('span', { class: 'muted' }, 'Download the plan: '),
    h('a', { class: 'button', id: 'plan-download-csv', download: '', href: '/api/allocations/latest/export?format=csv', title: 'one row per area with patrol dosage' }, 'CSV'),
    h('a', { class: 'button', id: 'plan-download-geojson', download: '', href: '/api/allocations/latest/export?format=geojson', title: 'areas with dosage, for GIS' }, 'GeoJSON'));
}
