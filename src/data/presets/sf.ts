import type { Preset } from '../ingest/spec.js';

/** San Francisco "Police Department Incident Reports: 2018 to Present". Row ID is unique per incident code row. */
export const sf: Preset = {
  name: 'sf',
  description: 'SF Incident Reports 2018-: Row ID, Incident Datetime, Incident Category, Latitude, Longitude',
  tz: 'America/Los_Angeles',
  // San Francisco (-122.52..-122.35, 37.70..37.83) with the Farallon Islands (-123.0), plus ~30 km: swapped lat/lon and stray points are rejects
  bbox: [-123.2, 37.4, -122.0, 38.1],
  header: true,
  columns: {
    id: ['Row ID'], time: 'Incident Datetime', category: 'Incident Category', lat: 'Latitude', lon: 'Longitude',
    attrs: ['Incident ID', 'Incident Number', 'Incident Subcategory', 'Incident Description', 'Police District', 'Analysis Neighborhood', 'Resolution'],
  },
  timeFormat: 'auto',
};
