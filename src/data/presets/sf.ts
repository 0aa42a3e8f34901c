import type { Preset } from '../ingest/spec.js';

/** San Francisco "Police Department Incident Reports: 2018 to Present". Row ID is unique per incident code row. */
export const sf: Preset = {
  name: 'sf',
  description: 'SF Incident Reports 2018-: Row ID, Incident Datetime, Incident Category, Latitude, Longitude',
  tz: 'America/Los_Angeles',
  header: true,
  columns: {
    id: ['Row ID'], time: 'Incident Datetime', category: 'Incident Category', lat: 'Latitude', lon: 'Longitude',
    attrs: ['Incident ID', 'Incident Number', 'Incident Subcategory', 'Incident Description', 'Police District', 'Analysis Neighborhood', 'Resolution'],
  },
  timeFormat: 'auto',
};
