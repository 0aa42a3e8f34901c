import type { Preset } from '../ingest/spec.js';

/** NYPD Complaint Data (Historic / Current YTD): start date and time of the complaint in separate columns. */
export const nypd: Preset = {
  name: 'nypd',
  description: 'NYPD complaint data: CMPLNT_NUM, CMPLNT_FR_DT + CMPLNT_FR_TM, OFNS_DESC, Latitude/Longitude, X_COORD_CD/Y_COORD_CD (EPSG:2263)',
  tz: 'America/New_York',
  // New York City (-74.26..-73.70, 40.49..40.92) plus ~30 km: swapped lat/lon and stray points are rejects
  bbox: [-74.6, 40.2, -73.4, 41.2],
  header: true,
  columns: {
    id: ['CMPLNT_NUM'], date: 'CMPLNT_FR_DT', time: 'CMPLNT_FR_TM', category: 'OFNS_DESC', lat: 'Latitude', lon: 'Longitude',
    x: 'X_COORD_CD', y: 'Y_COORD_CD', crs: 'EPSG:2263',
    attrs: ['KY_CD', 'PD_DESC', 'LAW_CAT_CD', 'BORO_NM', 'ADDR_PCT_CD', 'PREM_TYP_DESC'],
  },
  timeFormat: 'mdy',
};
