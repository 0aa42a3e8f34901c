import type { Preset } from '../ingest/spec.js';

/**
 * NIJ Real-Time Crime Forecasting Challenge, Portland calls for service (CSV conversion of the DBF tables).
 * occ_date is date-only (placed at local midnight). x/y are the original NAD83(HARN) / Oregon North international
 * feet coordinates; the file's lat/lon were derived from them by a third party, so x/y are preferred.
 * The file has no call id: ids are content hashes.
 */
export const nijPortland: Preset = {
  name: 'nij-portland',
  description: 'NIJ RTCFC Portland calls for service: category, occ_date (date only), x/y_coordinate_ft (EPSG:2913), lat/lon',
  tz: 'America/Los_Angeles',
  // Portland, Oregon (-122.84..-122.47, 45.43..45.65) plus ~30 km: swapped lat/lon and stray points are rejects
  bbox: [-123.2, 45.1, -122.1, 45.9],
  header: true,
  columns: {
    date: 'occ_date', category: 'category', lat: 'lat', lon: 'lon', x: 'x_coordinate_ft', y: 'y_coordinate_ft', crs: 'EPSG:2913',
    attrs: ['call_group', 'final_case_type', 'case_desc', 'census_tract'],
  },
  timeFormat: 'ymd',
  coords: 'xy-then-latlon',
};
