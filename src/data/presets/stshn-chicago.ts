import type { Preset } from '../ingest/spec.js';

/** CHI_Crime.csv of the ST-SHN / ST-HSL benchmark: headerless, four columns, no incident id (→ content hash). */
export const stshnChicago: Preset = {
  name: 'stshn-chicago',
  description: 'ST-SHN/ST-HSL CHI_Crime.csv: headerless "MM/DD/YYYY hh:mm:ss AM/PM", primary_type, lat, lon',
  tz: 'America/Chicago',
  header: false,
  names: ['datetime', 'primary_type', 'lat', 'lon'],
  columns: { time: 'datetime', category: 'primary_type', lat: 'lat', lon: 'lon' },
  timeFormat: 'mdy',
};
