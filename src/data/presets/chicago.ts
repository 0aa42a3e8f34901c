import type { Preset } from '../ingest/spec.js';

/** City of Chicago "Crimes - 2001 to present" (data.cityofchicago.org ijzp-q8t2), CSV export with header. */
export const chicago: Preset = {
  name: 'chicago',
  description: 'City of Chicago "Crimes - 2001 to present": ID, Date, Primary Type, Latitude/Longitude, X/Y Coordinate (EPSG:3435)',
  tz: 'America/Chicago',
  // Chicago city limits (-87.94..-87.52, 41.64..42.02) plus ~30 km: swapped lat/lon and stray points are rejects
  bbox: [-88.3, 41.3, -87.2, 42.4],
  header: true,
  columns: {
    id: ['ID'], time: 'Date', category: 'Primary Type', lat: 'Latitude', lon: 'Longitude',
    x: 'X Coordinate', y: 'Y Coordinate', crs: 'EPSG:3435',
    attrs: ['Case Number', 'Description', 'Location Description', 'Arrest', 'Domestic', 'Beat', 'District', 'Ward', 'Community Area', 'FBI Code'],
  },
  timeFormat: 'mdy',
};
