import type { Preset } from '../ingest/spec.js';

/** LAPD "Crime Data from 2020 to Present": TIME OCC is an integer hhmm; missing locations are 0,0 (rejected). */
export const lapd: Preset = {
  name: 'lapd',
  description: 'LAPD crime data: DR_NO, DATE OCC + TIME OCC (hhmm), Crm Cd Desc, LAT, LON (0,0 = missing)',
  tz: 'America/Los_Angeles',
  // City of Los Angeles (-118.67..-118.15, 33.70..34.34) plus ~30 km: swapped lat/lon and stray points are rejects
  bbox: [-119.0, 33.4, -117.8, 34.7],
  header: true,
  columns: {
    id: ['DR_NO'], date: 'DATE OCC', time: 'TIME OCC', category: 'Crm Cd Desc', lat: 'LAT', lon: 'LON',
    attrs: ['AREA NAME', 'Rpt Dist No', 'Crm Cd', 'Premis Desc', 'Weapon Desc', 'Status Desc'],
  },
  timeFormat: 'mdy',
};
