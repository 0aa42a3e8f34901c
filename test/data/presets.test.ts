import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readIncidentFile } from '../../src/data/ingest/read.js';
import { PRESETS } from '../../src/data/presets/index.js';
import { UserError } from '../../src/util/errors.js';
import { hasShared, REPO_ROOT, sharedPath } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'cc-presets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };

/** Great-circle distance in metres. */
function metres(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = Math.PI / 180;
  const h = Math.sin(((lat2 - lat1) * r) / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
}
const iso = (ms: number) => new Date(ms).toISOString();

describe('stshn-chicago preset on the bundled sample', () => {
  const sample = join(REPO_ROOT, 'data/sample/chicago_2017_09_12.csv');
  it('reads all 53,062 rows with Chicago local times and content-hash ids', async () => {
    const { table, summary, rejects } = await readIncidentFile(sample, { preset: 'stshn-chicago' });
    expect(summary.rows).toBe(53_062);
    expect(table.n).toBe(53_062);
    expect(rejects).toHaveLength(0);
    expect(table.tz).toBe('America/Chicago');
    const counts = Object.fromEntries(table.categories.map((c) => [c, 0]));
    for (let i = 0; i < table.n; i++) counts[table.categories[table.cat[i]]]++;
    expect(counts).toEqual({ 'CRIMINAL DAMAGE': 9316, THEFT: 21_639, BATTERY: 15_898, ASSAULT: 6209 });
    expect(iso(table.t[0])).toBe('2017-09-01T05:00:00.000Z'); // 00:00 CDT
    expect(iso(table.t[table.n - 1])).toBe('2018-01-01T05:50:00.000Z'); // 23:50 CST
    expect(new Set(table.id).size).toBe(table.n); // repeated identical rows still get distinct ids
    expect(table.id.filter((id) => /-\d+$/.test(id)).length).toBeGreaterThan(0);
  });

  it('dropFirstRow skips exactly the first data row', async () => {
    const all = await readIncidentFile(sample, { preset: 'stshn-chicago' });
    const dropped = await readIncidentFile(sample, { preset: 'stshn-chicago', dropFirstRow: true });
    expect(dropped.table.n).toBe(all.table.n - 1);
    expect(dropped.table.id[0]).toBe(all.table.id[1]);
    expect(dropped.lines[0]).toBe(2);
  });
});

describe.runIf(hasShared('denver-sample-fixture/incidents_1.csv'))('denver preset', () => {
  it('reads the 252 fixture rows; GEO_X/GEO_Y via EPSG:2232 match GEO_LAT/GEO_LON within 0.5 m', async () => {
    let n = 0, worst = 0;
    for (const k of [1, 2, 3]) {
      const f = sharedPath(`denver-sample-fixture/incidents_${k}.csv`);
      const ll = await readIncidentFile(f, { preset: 'denver' });
      const xy = await readIncidentFile(f, { preset: 'denver', coords: 'xy' });
      expect(ll.rejects).toHaveLength(0);
      expect(xy.table.n).toBe(ll.table.n);
      for (let i = 0; i < ll.table.n; i++) worst = Math.max(worst, metres(ll.table.lat[i], ll.table.lon[i], xy.table.lat[i], xy.table.lon[i]));
      n += ll.table.n;
      if (k === 1) {
        expect(ll.table.id[0]).toBe('2016376978:2016376978521300');
        expect(iso(ll.table.t[0])).toBe('2016-06-16T05:31:00.000Z'); // 6/15/2016 11:31 PM MDT
        expect(ll.table.attrs!.NEIGHBORHOOD_ID[0]).toBe('montbello');
      }
    }
    expect(n).toBe(252);
    expect(worst).toBeLessThan(0.5);
  });
});

describe.runIf(hasShared('nij-portland-cfs-2016-aug-sep/portland_cfs_2016_08_09.csv'))('nij-portland preset', () => {
  it('reads 37,818 date-only calls; x/y via EPSG:2913 agree with the file\'s lat/lon within 1 m', async () => {
    const f = sharedPath('nij-portland-cfs-2016-aug-sep/portland_cfs_2016_08_09.csv');
    const xy = await readIncidentFile(f, { preset: 'nij-portland' });
    const ll = await readIncidentFile(f, { preset: 'nij-portland', coords: 'latlon' });
    expect(xy.summary.rows).toBe(37_818);
    expect(xy.table.n).toBe(37_818);
    expect(xy.summary.dateOnly).toBe(37_818);
    let worst = 0;
    for (let i = 0; i < xy.table.n; i++) worst = Math.max(worst, metres(xy.table.lat[i], xy.table.lon[i], ll.table.lat[i], ll.table.lon[i]));
    expect(worst).toBeLessThan(1);
    const counts = new Map<string, number>();
    for (let i = 0; i < xy.table.n; i++) counts.set(xy.table.categories[xy.table.cat[i]], (counts.get(xy.table.categories[xy.table.cat[i]]) ?? 0) + 1);
    expect(Object.fromEntries(counts)).toEqual({ BURGLARY: 173, 'MOTOR VEHICLE THEFT': 410, 'STREET CRIMES': 6388, OTHER: 30_847 });
    expect(iso(xy.table.t[0])).toBe('2016-08-10T07:00:00.000Z'); // local midnight PDT
  });
});

describe('city presets on small files in their published schemas', () => {
  it('chicago: ID, 12-hour Date, X/Y (EPSG:3435) agreeing with Latitude/Longitude on real rows', async () => {
    const header = 'ID,Case Number,Date,Block,IUCR,Primary Type,Description,Location Description,Arrest,Domestic,Beat,District,Ward,Community Area,FBI Code,X Coordinate,Y Coordinate,Year,Updated On,Latitude,Longitude,Location';
    const f = write('chicago.csv', [header,
      '10508693,HZ250496,05/03/2016 11:40:00 PM,013XX S SAWYER AVE,0486,BATTERY,DOMESTIC BATTERY SIMPLE,APARTMENT,true,true,1022,010,24,29,08B,1154907,1893681,2016,05/10/2016 03:56:50 PM,41.864073157,-87.706818608,"(41.864073157, -87.706818608)"',
      '5059066,HM664618,10/17/2006 01:30:00 AM,045XX W VAN BUREN ST,0486,BATTERY,DOMESTIC BATTERY SIMPLE,APARTMENT,false,true,1131,011,24,26,08B,1146219,1897639,2006,04/15/2016 08:55:02 AM,41.875103951,-87.738611562,"(41.875103951, -87.738611562)"',
      '5059067,HM666703,10/18/2006 02:00:00 AM,053XX S CORNELL AVE,1310,CRIMINAL DAMAGE,TO PROPERTY,APARTMENT,false,false,2132,002,5,41,14,1188158,1870244,2006,04/15/2016 08:55:02 AM,41.799030006,-87.585505972,"(41.799030006, -87.585505972)"',
      '5059068,HM666704,10/18/2006 03:00:00 AM,053XX S CORNELL AVE,1310,THEFT,OVER $500,STREET,false,false,2132,002,5,41,06,1188158,1870244,2006,04/15/2016 08:55:02 AM,,,',
    ].join('\n') + '\n');
    const ll = await readIncidentFile(f, { preset: 'chicago' });
    const xy = await readIncidentFile(f, { preset: 'chicago', coords: 'xy' });
    expect(ll.table.n).toBe(4); // the last row has no lat/lon but its X/Y fill in
    expect(ll.table.id).toEqual(['10508693', '5059066', '5059067', '5059068']);
    for (let i = 0; i < 3; i++) expect(metres(ll.table.lat[i], ll.table.lon[i], xy.table.lat[i], xy.table.lon[i])).toBeLessThan(0.5);
    expect(metres(ll.table.lat[3], ll.table.lon[3], 41.799030006, -87.585505972)).toBeLessThan(0.5);
    expect(iso(ll.table.t[0])).toBe('2016-05-04T04:40:00.000Z');
    expect(ll.table.attrs!.District[0]).toBe('010'); // leading zeros kept
    expect((await readIncidentFile(f, { preset: 'chicago', coords: 'latlon' })).rejects.map((r) => [r.line, r.reason])).toEqual([[5, 'missing-coordinates']]);
  });

  it('nypd: separate date and time columns in New York time', async () => {
    const f = write('nypd.csv', 'CMPLNT_NUM,CMPLNT_FR_DT,CMPLNT_FR_TM,OFNS_DESC,BORO_NM,Latitude,Longitude\n' +
      '101109527,12/31/2015,23:45:00,FORGERY,BRONX,40.828848333,-73.916661142\n' +
      '153401121,12/31/2015,23:36:00,MURDER & NON-NEGL. MANSLAUGHTER,QUEENS,40.697338138,-73.784556739\n');
    const { table } = await readIncidentFile(f, { preset: 'nypd' });
    expect(table.n).toBe(2);
    expect(iso(table.t[0])).toBe('2016-01-01T04:45:00.000Z');
    expect(table.categories).toEqual(['FORGERY', 'MURDER & NON-NEGL. MANSLAUGHTER']);
    expect(table.attrs!.BORO_NM).toEqual(['BRONX', 'QUEENS']);
  });

  it('lapd: hhmm TIME OCC and 0,0 as missing location', async () => {
    const f = write('lapd.csv', 'DR_NO,Date Rptd,DATE OCC,TIME OCC,AREA NAME,Crm Cd,Crm Cd Desc,LAT,LON\n' +
      '190326475,03/01/2020 12:00:00 AM,03/01/2020 12:00:00 AM,2130,Wilshire,510,VEHICLE - STOLEN,34.0375,-118.3506\n' +
      '200106753,02/09/2020 12:00:00 AM,02/08/2020 12:00:00 AM,45,Central,330,BURGLARY FROM VEHICLE,0,0\n');
    const { table, rejects } = await readIncidentFile(f, { preset: 'lapd' });
    expect(table.n).toBe(1);
    expect(iso(table.t[0])).toBe('2020-03-02T05:30:00.000Z');
    expect(rejects.map((r) => [r.line, r.reason, r.field])).toEqual([[3, 'zero-coordinates', 'LAT,LON']]);
  });

  it('sf: ISO or Y/M/D incident datetimes in Pacific time', async () => {
    const f = write('sf.csv', 'Incident Datetime,Row ID,Incident ID,Incident Category,Latitude,Longitude\n' +
      '2018/01/01 01:45:00 PM,61868711012,618687,Larceny Theft,37.7749,-122.4194\n' +
      '2023-03-13T23:41:00.000,127226505041,1272265,Assault,37.7599,-122.4148\n');
    const { table } = await readIncidentFile(f, { preset: 'sf' });
    expect(table.id).toEqual(['61868711012', '127226505041']);
    expect(iso(table.t[0])).toBe('2018-01-01T21:45:00.000Z');
    expect(iso(table.t[1])).toBe('2023-03-14T06:41:00.000Z');
  });

  it('a file lacking the preset columns fails fast, naming them', async () => {
    const f = write('wrong.csv', 'ID,When,Type,Latitude,Longitude\n1,01/01/2020 01:00:00 AM,THEFT,41.8,-87.6\n');
    const err = await readIncidentFile(f, { preset: 'chicago' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toContain('Date (date-time)');
    expect((err as Error).message).toContain('Primary Type (category)');
    expect((err as Error).message).not.toContain('Latitude'); // one complete location pair suffices
    // a headerless file read with a header preset: the first row is data and must not be echoed
    const stshn = await readIncidentFile(join(REPO_ROOT, 'data/sample/bad_rows.csv'), { preset: 'chicago' }).catch((e: unknown) => e) as UserError;
    expect(stshn.message).toContain('missing columns ID (id)');
    expect(stshn.hint).toContain('looks like data');
    expect(`${stshn.message} ${stshn.hint}`).not.toMatch(/CRIMINAL|41\.7|09\/01/);
    const unknown = await readIncidentFile(f, { preset: 'boston' }).catch((e: unknown) => e);
    expect((unknown as UserError).hint).toContain(Object.keys(PRESETS).join(', '));
  });

  it('generic columns: headerless by position, projected x/y with a raw proj4 string', async () => {
    const f = write('generic.txt', '2017-07-01 10:00,THEFT,1154907,1893681\n2017-07-01 11:00,BATTERY,1146219,1897639\n');
    const { table } = await readIncidentFile(f, {
      header: false, timeCol: 'col1', categoryCol: '2', xCol: 'col3', yCol: 'col4', tz: 'America/Chicago',
      crs: '+proj=tmerc +lat_0=36.66666666666666 +lon_0=-88.33333333333333 +k=0.999975 +x_0=300000.0000000001 +y_0=0 +ellps=GRS80 +units=us-ft +no_defs',
    });
    expect(table.n).toBe(2);
    expect(metres(table.lat[0], table.lon[0], 41.864073157, -87.706818608)).toBeLessThan(0.5);
    expect(iso(table.t[0])).toBe('2017-07-01T15:00:00.000Z');
    await expect(readIncidentFile(f, { header: false, timeCol: 'col1', categoryCol: '2', xCol: 'col3', yCol: 'col4' })).rejects.toThrow(/time zone/);
  });
});
