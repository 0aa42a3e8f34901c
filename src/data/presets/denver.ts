import type { Preset } from '../ingest/spec.js';

/** Denver open-data "crime" dataset: one row per offense, so the id is INCIDENT_ID:OFFENSE_ID. */
export const denver: Preset = {
  name: 'denver',
  description: 'Denver crime: INCIDENT_ID+OFFENSE_ID, FIRST_OCCURRENCE_DATE, OFFENSE_CATEGORY_ID, GEO_LAT/GEO_LON, GEO_X/GEO_Y (EPSG:2232)',
  tz: 'America/Denver',
  // Denver with the airport (-105.11..-104.60, 39.61..39.91) plus ~30 km: swapped lat/lon and stray points are rejects
  bbox: [-105.4, 39.3, -104.3, 40.2],
  header: true,
  columns: {
    id: ['INCIDENT_ID', 'OFFENSE_ID'], time: 'FIRST_OCCURRENCE_DATE', category: 'OFFENSE_CATEGORY_ID',
    lat: 'GEO_LAT', lon: 'GEO_LON', x: 'GEO_X', y: 'GEO_Y', crs: 'EPSG:2232',
    attrs: ['OFFENSE_TYPE_ID', 'OFFENSE_CODE', 'DISTRICT_ID', 'PRECINCT_ID', 'NEIGHBORHOOD_ID', 'IS_CRIME', 'IS_TRAFFIC'],
  },
  timeFormat: 'mdy',
};
