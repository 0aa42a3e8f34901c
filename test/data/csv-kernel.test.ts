import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CsvKernel, PRE_ABS, PRE_COORDS, PRE_COUNT, PRE_LOCAL, PRE_TOD, type PreParsed } from '../../src/data/ingest/csv-kernel.js';
import { tokenizeText, type RowBatch } from '../../src/data/ingest/csv-tokenizer.js';
import { parseDecimalIn, trimRange, FR } from '../../src/data/ingest/field-range.js';
import { lastHadTime, localHourToUtc, parseDateTimeIn, utcDayMs, wallHourToUtc } from '../../src/data/ingest/time-parse.js';
import { readIncidentFile, type ReadOptions } from '../../src/data/ingest/read.js';
import { Rng } from '../../src/util/rng.js';
import { randomDecimalTexts } from '../helpers.js';

// The compiled kernel may only ever speed the reader up: its records must be tokenizeText's records, and each value
// it pre-parses must be the value the JS parsers return on that field. These tests compare the two on random text.

const kernel = (): CsvKernel => {
  const k = CsvKernel.create();
  if (!k) throw new Error('no CSV kernel in this runtime');
  return k;
};

function sameBatch(a: { batch: RowBatch; consumed: number; nextLine: number }, b: { batch: RowBatch; consumed: number; nextLine: number }): string {
  const norm = (r: typeof a) => JSON.stringify({
    n: r.batch.n, span: [...r.batch.span!], fs: [...r.batch.fieldStart], line: [...r.batch.line], rs: [...r.batch.rawStart], re: [...r.batch.rawEnd],
    bad: r.batch.malformed ? [...r.batch.malformed] : null, rw: r.batch.rewritten?.size ? [...r.batch.rewritten] : null, c: r.consumed, nl: r.nextLine,
  });
  return norm(a) === norm(b) ? '' : `${norm(a)}\n${norm(b)}`;
}

describe('CSV kernel tokenizes exactly as tokenizeText', () => {
  it('on 20,000 random texts of quotes, escapes, line ends and delimiters', () => {
    const rng = new Rng(11);
    const alphabet = ['a', 'b', '1', ',', ',', '"', '"', '\n', '\n', '\r', '\r\n', ' ', 'x', '""', '\t', ';'];
    let differ = 0, first = '';
    const k = kernel();
    for (let t = 0; t < 20_000; t++) {
      let s = '';
      for (let i = Math.floor(rng.random() * 60); i > 0; i--) s += alphabet[Math.floor(rng.random() * alphabet.length)];
      const final = rng.random() < 0.5, expected = rng.random() < 0.5 ? 0 : 1 + Math.floor(rng.random() * 4);
      const delim = rng.random() < 0.8 ? 44 : 59, line = 1 + Math.floor(rng.random() * 5);
      const st1 = { expected }, st2 = { expected };
      const d = sameBatch(tokenizeText(s, line, delim, final, st1), k.tokenize(Buffer.from(s, 'latin1'), s, line, delim, final, st2));
      if (d || st1.expected !== st2.expected) { differ++; first ||= `${JSON.stringify(s)}\n${d}`; }
    }
    expect(first).toBe('');
    expect(differ).toBe(0);
  });

  it('on a runaway quote (more than 100 lines), a chunk of tiny fields (its buffers grow) and an unfinished last record', () => {
    const k = kernel();
    const cases = [
      'a,b\n1,"x\n' + 'y\n'.repeat(150) + '2,3\n',
      ',,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\n'.repeat(3000),
      'a,b\n"q""x"junk,2\n3,"4\nstill"\n5,"6',
    ];
    for (const s of cases) {
      for (const final of [false, true]) {
        const st1 = { expected: 0 }, st2 = { expected: 0 };
        expect(sameBatch(tokenizeText(s, 1, 44, final, st1), k.tokenize(Buffer.from(s, 'latin1'), s, 1, 44, final, st2))).toBe('');
        expect(st2.expected).toBe(st1.expected);
      }
    }
  });
});

/** Pre-parse one column of values (time in field 0, coordinates in 1 and 2, category in 3). */
function preparse(rows: string[][], dayFirst = false): { pre: PreParsed; batch: RowBatch } {
  const text = rows.map((r) => r.join(',')).join('\n') + '\n';
  const { batch } = kernel().tokenize(Buffer.from(text, 'latin1'), text, 1, 44, true, { expected: 4 });
  const pre = batch.preparse!({ time: 0, dayFirst, a: 1, b: 2, category: 3, expected: 4 });
  if (!pre) throw new Error('no pre-parse');
  return { pre, batch };
}

describe('CSV kernel pre-parses only what the JS parsers return', () => {
  const zones = ['America/Chicago', 'Australia/Melbourne', 'Asia/Kolkata', 'Europe/London', 'UTC'];

  it('times: every value it flags equals parseDateTimeIn in five zones, with and without day-first dates', () => {
    const rng = new Rng(23);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rng.random() * xs.length)];
    const num = (lo: number, hi: number, pad = 0) => String(lo + Math.floor(rng.random() * (hi - lo + 1))).padStart(pad, '0');
    const times: string[] = [];
    for (let k = 0; k < 4000; k++) {
      const y = pick([num(1990, 2030), num(0, 99, 2), num(0, 9), num(900, 999), num(10000, 20000), '2016', '2020', '1900']);
      const mo = pick([num(1, 12, 2), num(1, 12), '0', '13', '02', '2']);
      const d = pick([num(1, 28, 2), num(1, 31), '29', '30', '31', '0', '32']);
      const h = pick([num(0, 23, 2), num(1, 12), '0', '12', '24', num(0, 23)]);
      const mi = pick([num(0, 59, 2), '60', '5']);
      const sec = pick([num(0, 59, 2), '60', '61']);
      const frac = pick(['', '', '.' + num(0, 9), '.' + num(0, 99, 2), '.' + num(0, 999, 3), '.' + num(0, 9999999, 7), '.9995', '.0005', '.1234567891']);
      const ampm = pick(['', '', ' AM', ' PM', 'am', ' pm', ' XM']);
      const tail = pick(['', '', '', 'Z', 'z', '+05:30', '-0800', ' ', 'T']);
      const date = pick([`${y}-${mo}-${d}`, `${mo}/${d}/${y}`, `${d}.${mo}.${y}`, `${y}/${mo}/${d}`, `${mo}/${d}/${y}`]);
      const shape = rng.random();
      times.push(shape < 0.15 ? date : shape < 0.3 ? `${date} ${h}:${mi}${ampm}` : `${date}${pick([' ', 'T', '  '])}${h}:${mi}:${sec}${frac}${ampm}${tail}`);
    }
    times.push('07/01/2017 01:45:00 PM', '2017-07-01T13:45:00.000Z', '2017-07-01 13:45', '01/07/2017 13:45', '2016-02-29', '2017-02-29', '12345678901/1/2017');
    let flagged = 0;
    for (const dayFirst of [false, true]) {
      const { pre } = preparse(times.map((t) => [t, '1', '1', 'c']), dayFirst);
      for (const tz of zones) {
        for (let i = 0; i < times.length; i++) {
          const f = pre.flags[i];
          if (!(f & (PRE_LOCAL | PRE_ABS))) continue;
          flagged++;
          const want = parseDateTimeIn(times[i], 0, times[i].length, dayFirst ? 'dmy' : 'auto', tz);
          const got = f & PRE_ABS ? pre.wall[i] + pre.rest[i] : wallHourToUtc(pre.wall[i], tz) + pre.rest[i];
          expect(got, `${times[i]} in ${tz}`).toBe(want);
          expect((f & PRE_TOD) !== 0, times[i]).toBe(lastHadTime());
        }
      }
    }
    // the plain shapes of police exports are all taken (the fast path is not quietly unused)
    const { pre } = preparse([['07/01/2017 01:45:00 PM', '1', '1', 'c'], ['2017-07-01T13:45:00.000Z', '1', '1', 'c'], ['2017-07-01 13:45', '1', '1', 'c'], ['2016-02-29', '1', '1', 'c']]);
    expect([...pre.flags].map((f) => f & (PRE_LOCAL | PRE_ABS | PRE_TOD))).toEqual([PRE_LOCAL | PRE_TOD, PRE_ABS | PRE_TOD, PRE_LOCAL | PRE_TOD, PRE_LOCAL]);
    expect(flagged).toBeGreaterThan(2000);
  });

  it('wallHourToUtc equals localHourToUtc hour by hour across DST changes in five zones', () => {
    for (const tz of zones) {
      for (const [y, mo] of [[2016, 3], [2016, 4], [2016, 10], [2016, 11], [2017, 3], [2023, 4], [2023, 10], [1850, 3], [2150, 10]]) {
        for (let d = 1; d <= 28; d++) {
          for (let h = 0; h < 24; h++) expect(wallHourToUtc(utcDayMs(y, mo, d) + h * 3_600_000, tz), `${tz} ${y}-${mo}-${d} ${h}h`).toBe(localHourToUtc(y, mo, d, h, tz));
        }
      }
    }
  });

  it('coordinates: every pair it flags equals parseDecimalIn after trim, bit for bit', () => {
    const rng = new Rng(31);
    const values = ['41.918711651', '-87.76551063', '0', '-0', '+5', '.5', '5.', '.', '', ' ', '-', '1e5', '1E+05', '1e-7', '2.5e', ' 41.8', '41.8 ',
      '\t-87.6\t', '0x29', 'Infinity', 'NaN', '1_000', '1.2.3', '007', '123456789012345', '1234567890123456', '12345678901234567890', '1e22', '1e23',
      '1e-22', '1e-23', '99999999999999.9', '-.5e3', '+.e1', '123456.789012345e-3', '1e0000000000005'];
    values.push(...randomDecimalTexts(() => rng.random(), 3000));
    const rows = values.map((v, i) => ['2017-01-01', v, values[(i * 7) % values.length], 'c']);
    const { pre } = preparse(rows);
    let flagged = 0;
    const js = (v: string) => { FR.src = v; FR.s = 0; FR.e = v.length; trimRange(); return FR.s === FR.e ? NaN : parseDecimalIn(FR.src, FR.s, FR.e); };
    for (let i = 0; i < rows.length; i++) {
      if (!(pre.flags[i] & PRE_COORDS)) continue;
      flagged++;
      expect(Object.is(pre.a[i], js(rows[i][1])), rows[i][1]).toBe(true);
      expect(Object.is(pre.b[i], js(rows[i][2])), rows[i][2]).toBe(true);
    }
    expect(flagged).toBeGreaterThan(1500);
  });

  it('categories: one code per raw spelling; records with the wrong field count or a rewritten field are left to JS', () => {
    const { pre } = preparse([['2017-01-01', '1', '1', 'THEFT'], ['2017-01-01', '1', '1', ' THEFT'], ['2017-01-01', '1', '1', 'THEFT'], ['2017-01-01', '1', '1', 'ASSAULT']]);
    expect([...pre.cat]).toEqual([0, 1, 0, 2]);
    const text = '2017-01-01,1,1,"A ""B"""\n2017-01-01,1,1\n2017-01-01,1,1,"C"\n';
    const { batch } = kernel().tokenize(Buffer.from(text, 'latin1'), text, 1, 44, true, { expected: 4 });
    const p = batch.preparse!({ time: 0, dayFirst: false, a: 1, b: 2, category: 3, expected: 4 })!;
    expect([...p.flags].map((f) => (f & PRE_COUNT) !== 0)).toEqual([false, false, true]);
  });
});

describe('a whole file reads the same with and without the kernel', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-kernel-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function both(path: string, opts: ReadOptions) {
    const withK = await readIncidentFile(path, opts);
    const saved = process.env.CRIMECAST_CSV_KERNEL;
    process.env.CRIMECAST_CSV_KERNEL = '0';
    try {
      return { withK, without: await readIncidentFile(path, opts) };
    } finally {
      if (saved === undefined) delete process.env.CRIMECAST_CSV_KERNEL; else process.env.CRIMECAST_CSV_KERNEL = saved;
    }
  }
  // the same rows, rejects and summary; only how much the kernel read differs
  const strip = (r: Awaited<ReturnType<typeof readIncidentFile>>) => ({ ...r, summary: { ...r.summary, seconds: 0, reader: { ...r.summary.reader, compiled: undefined } } });

  it('hostile Melbourne rows (DST hours, rejects, quotes, ids of every length), day-first dates', async () => {
    const rng = new Rng(5);
    const cats = ['Burglary', ' Theft ', '"Assault, common"', '"Drug ""possession"""', '', 'Fraud'];
    const lines = ['case_id,reported,category,latitude,longitude'];
    for (let i = 0; i < 3000; i++) {
      const d = 1 + Math.floor(rng.random() * 28), mo = 1 + Math.floor(rng.random() * 12), h = Math.floor(rng.random() * 24);
      let time = `${d}/${mo}/2023 ${String(h).padStart(2, '0')}:${String(Math.floor(rng.random() * 60)).padStart(2, '0')}`;
      if (i % 97 === 0) time = '02/04/2023 02:30'; // the hour that repeats when DST ends
      if (i % 89 === 0) time = '01/10/2023 02:30'; // the hour skipped when DST starts
      if (i % 211 === 0) time = '31/02/2023 10:00';
      let lat = (-37.8 - rng.random() * 0.2).toFixed(6), lon = (144.9 + rng.random() * 0.2).toFixed(6);
      if (i % 173 === 0) [lat, lon] = [lon, lat];
      if (i % 181 === 0) lat = '';
      const id = i % 151 === 0 ? '' : `V${'x'.repeat(i % 17)}${i}`;
      lines.push(`${id},${time},${cats[i % cats.length]},${lat},${lon}${i % 307 === 0 ? ',extra' : ''}`);
    }
    const path = join(dir, 'melbourne.csv');
    writeFileSync(path, lines.join('\r\n') + '\r\n');
    const opts: ReadOptions = { tz: 'Australia/Melbourne', timeFormat: 'dmy', idCol: 'case_id', timeCol: 'reported', categoryCol: 'category', latCol: 'latitude', lonCol: 'longitude', bbox: [144, -38.5, 146, -37] };
    const { withK, without } = await both(path, opts);
    expect(withK.summary.rejected).toBeGreaterThan(50);
    expect(strip(withK)).toEqual(strip(without));
    expect(withK.summary.reader?.compiled).toEqual({ records: 3001, of: 3001 }); // the header too
    expect(without.summary.reader?.compiled).toEqual({ records: 0, of: 3001, off: 'turned off (CRIMECAST_CSV_KERNEL=0)' });
  });

  it('50,000 category spellings over four chunks: the kernel starts its spelling table afresh, the rows stay the same', async () => {
    const lines = ['id,t,type,y,x'];
    for (let i = 0; i < 100_000; i++) lines.push(`${i},2019-0${1 + (i % 9)}-0${1 + (i % 9)} 0${i % 10}:00,kind ${(i * 7919) % 50_000},${(6.2 + (i % 100) * 1e-3).toFixed(3)},${(-75.5 - (i % 77) * 1e-3).toFixed(3)}`);
    const path = join(dir, 'medellin.csv');
    writeFileSync(path, lines.join('\n') + '\n');
    const before = CsvKernel.shared()!.generation;
    const { withK, without } = await both(path, { tz: 'America/Bogota', idCol: 'id', timeCol: 't', categoryCol: 'type', latCol: 'y', lonCol: 'x' });
    expect(CsvKernel.shared()!.generation).toBeGreaterThan(before);
    expect(withK.table.categories.length).toBe(50_000);
    expect(strip(withK)).toEqual(strip(without));
  });

  it('projected coordinates (UTM 55S, Melbourne), some out of the box or empty: the same rows and rejects', async () => {
    const lines = ['no,at,offence,easting,northing'];
    for (let i = 0; i < 3000; i++) {
      let e = (320000 + (i * 37) % 9000).toFixed(1), n = (5810000 + (i * 53) % 9000).toFixed(1);
      if (i % 101 === 0) e = '';
      if (i % 103 === 0) n = '9999999';
      lines.push(`${i},2023-0${1 + (i % 9)}-1${i % 10} 0${i % 10}:30,${i % 2 ? 'Burglary' : 'Theft'},${e},${n}`);
    }
    const path = join(dir, 'utm.csv');
    writeFileSync(path, lines.join('\n') + '\n');
    const { withK, without } = await both(path, { tz: 'Australia/Melbourne', idCol: 'no', timeCol: 'at', categoryCol: 'offence', xCol: 'easting', yCol: 'northing', crs: '+proj=utm +zone=55 +south +datum=WGS84 +units=m +no_defs', bbox: [144, -38.5, 146, -37] });
    expect(withK.summary.rejected).toBeGreaterThan(40);
    expect(withK.summary.accepted).toBeGreaterThan(2900);
    expect(strip(withK)).toEqual(strip(without));
  });

  it('content-hashed ids, ISO UTC times and a non-ASCII chunk', async () => {
    const lines = ['when,what,lat,lon'];
    for (let i = 0; i < 2000; i++) lines.push(`2021-0${1 + (i % 9)}-1${i % 10}T0${i % 10}:15:00Z,${i % 3 ? 'ROBO' : 'HURTO'},${(19.4 + i * 1e-5).toFixed(5)},${(-99.1 - i * 1e-5).toFixed(5)}`);
    lines.push('2021-05-05T10:00:00Z,DAÑO,19.41,-99.12');
    const path = join(dir, 'cdmx.csv');
    writeFileSync(path, lines.join('\n') + '\n');
    const { withK, without } = await both(path, { tz: 'America/Mexico_City', timeCol: 'when', categoryCol: 'what', latCol: 'lat', lonCol: 'lon' });
    expect(withK.summary.accepted).toBe(2001);
    expect(strip(withK)).toEqual(strip(without));
    expect(withK.summary.reader?.compiled).toEqual({ records: 0, of: 2002 }); // one chunk, not all ASCII
  });
});
