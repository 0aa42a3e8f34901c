/**
 * Source coordinate systems → WGS84 through proj4. A small table of the EPSG codes police open data uses
 * (definitions as published by the EPSG registry / epsg.io), so no network lookup is ever needed.
 */
import { createRequire } from 'node:module';
import type proj4Type from 'proj4';
import { UserError } from '../../util/errors.js';

type Proj4 = typeof proj4Type;
let proj4Module: Proj4 | undefined;
/**
 * proj4, loaded on first use: most files come with lat/lon, and importing it cost every ingest (and its second read
 * thread) ~45 ms. Required, not imported: it is CommonJS, which an ESM import would first lex for named exports.
 */
function proj4(): Proj4 {
  return (proj4Module ??= createRequire(import.meta.url)('proj4') as Proj4);
}

export const EPSG_DEFS: Record<string, string> = {
  '4326': '+proj=longlat +datum=WGS84 +no_defs',
  '3857': '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs',
  // NAD83 / Illinois East (ftUS) — Chicago X/Y Coordinate
  '3435': '+proj=tmerc +lat_0=36.6666666666667 +lon_0=-88.3333333333333 +k=0.999975 +x_0=300000.0000000001 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs',
  // NAD83(HARN) / Oregon North (international ft) — Portland NIJ x/y
  '2913': '+proj=lcc +lat_0=43.6666666666667 +lon_0=-120.5 +lat_1=46 +lat_2=44.3333333333333 +x_0=2500000.0001424 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=ft +no_defs',
  // NAD83 / New York Long Island (ftUS) — NYPD X_COORD_CD/Y_COORD_CD
  '2263': '+proj=lcc +lat_0=40.1666666666667 +lon_0=-74 +lat_1=41.0333333333333 +lat_2=40.6666666666667 +x_0=300000 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs',
  // NAD83 / California zone 5 (ftUS) — Los Angeles
  '2229': '+proj=lcc +lat_0=33.5 +lon_0=-118 +lat_1=35.4666666666667 +lat_2=34.0333333333333 +x_0=2000000.0001016 +y_0=500000.0001016 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs',
  // NAD83 / California zone 3 (ftUS) — San Francisco
  '2227': '+proj=lcc +lat_0=36.5 +lon_0=-120.5 +lat_1=38.4333333333333 +lat_2=37.0666666666667 +x_0=2000000.0001016 +y_0=500000.0001016 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs',
  // NAD83 / Colorado Central (ftUS) — Denver GEO_X/GEO_Y
  '2232': '+proj=lcc +lat_0=37.8333333333333 +lon_0=-105.5 +lat_1=39.75 +lat_2=38.45 +x_0=914401.828803657 +y_0=304800.609601219 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs',
};

/** proj4 definition for "EPSG:2913", "2913" or a raw proj4 string. */
export function crsDefinition(crs: string): string {
  const s = crs.trim();
  const code = /^(?:epsg:)?(\d+)$/i.exec(s)?.[1];
  if (code) {
    const def = EPSG_DEFS[code];
    if (!def) throw new UserError(`unknown CRS EPSG:${code}`, `use one of EPSG:${Object.keys(EPSG_DEFS).join(', EPSG:')} or pass a proj4 string ("+proj=… +units=…")`);
    return def;
  }
  if (!s.startsWith('+proj=')) throw new UserError(`unrecognised CRS "${s}"`, 'give an EPSG code such as EPSG:3435 or a proj4 string starting with +proj=');
  return s;
}

/** Point converter from the source CRS to WGS84; returns [lon, lat]. */
export function toWgs84(crs: string): (x: number, y: number) => [number, number] {
  const def = crsDefinition(crs);
  let conv: proj4Type.Converter;
  try {
    conv = proj4()(def, 'EPSG:4326');
  } catch (err) {
    throw new UserError(`bad CRS definition "${crs}": ${(err as Error).message}`);
  }
  const buf: [number, number] = [0, 0];
  return (x, y) => {
    buf[0] = x; buf[1] = y;
    const r = conv.forward(buf);
    return [r[0], r[1]];
  };
}
