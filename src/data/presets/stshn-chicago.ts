import type { Preset } from '../ingest/spec.js';

/** CHI_Crime.csv of the ST-SHN / ST-HSL benchmark: headerless, four columns, no incident id (→ content hash). */
export const stshnChicago: Preset = {
  name: 'stshn-chicago',
  description: 'ST-SHN/ST-HSL CHI_Crime.csv: headerless "MM/DD/YYYY hh:mm:ss AM/PM", primary_type, lat, lon',
  tz: 'America/Chicago',
  // Chicago city limits (-87.94..-87.52, 41.64..42.02) plus ~30 km: swapped lat/lon and stray points are rejects
  bbox: [-88.3, 41.3, -87.2, 42.4],
  header: false,
  names: ['datetime', 'primary_type', 'lat', 'lon'],
  columns: { time: 'datetime', category: 'primary_type', lat: 'lat', lon: 'lon' },
  timeFormat: 'mdy',
};
