/**
 * Ingest errors are written for the CLI ("give --time-col NAME"); an upload through the API or the dashboard sets
 * the same things as form fields, so its errors name the field instead of a flag it cannot pass.
 */

/** CLI flag → upload form field (the names in the OpenAPI schema and the dashboard's upload form). */
const FIELD_OF_FLAG: Record<string, string> = {
  preset: 'preset', 'time-col': 'timeCol', 'date-col': 'dateCol', 'lat-col': 'latCol', 'lon-col': 'lonCol',
  'x-col': 'xCol', 'y-col': 'yCol', crs: 'crs', 'category-col': 'categoryCol', 'id-col': 'idCol', tz: 'tz',
  'time-format': 'timeFormat', delimiter: 'delimiter',
};

/** The text with each ingest flag replaced by its upload field; a flag uploads lack is marked as the CLI's. */
export function uploadWording(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  let cliOnly = false;
  // "--tz Europe/Berlin" → tz=Europe/Berlin, "--time-col NAME" → timeCol=NAME, a bare "--preset" → "preset"
  const out = text.replace(/--([a-z][a-z-]*)( (?:[A-Z][A-Z_]+\b|[\w.:-]*[/:\d-][\w./:-]*))?/g, (whole, flag: string, value: string | undefined) => {
    const field = FIELD_OF_FLAG[flag];
    if (field) return value ? `${field}=${value.slice(1)}` : `"${field}"`;
    if (flag === 'dataset') return 'dataset'; // the dataset is the upload URL's name
    cliOnly = true;
    return whole;
  });
  return cliOnly ? `${out} (options written --like-this are only on \`crimecast ingest\`, run on the server)` : out;
}
