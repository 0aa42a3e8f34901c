import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadExternal } from '../../../src/evaluate/external/load.js';
import { parseExternalSpec, parseExternalSpecs, parseMissingPolicy } from '../../../src/evaluate/external/spec.js';
import { serializeNpy } from '../../../src/tensor/npy.js';
import { cellRing, fullCsv, smallCity } from './synthetic-city.js';

const dir = mkdtempSync(join(tmpdir(), 'external-'));
const put = (name: string, text: string | Uint8Array) => { const f = join(dir, name); writeFileSync(f, text); return f; };
const csv = (name: string, lines: string[]) => put(name, lines.join('\n') + '\n');
const RC = 9 * 2;

describe('long CSV forecasts', () => {
  it('load keyed by unit id, polygon name or centre point, identically, with the file hash', async () => {
    const ctx = smallCity();
    const [byId, byName, byPoint] = await Promise.all((['unit', 'name', 'point'] as const).map((key) =>
      loadExternal({ name: key, file: csv(`full-${key}.csv`, fullCsv({ key })) }, ctx)));
    // period 1 of the test span (2021-06-08), region 4 (c11), theft
    expect(byId.mean[(1 * 9 + 4) * 2 + 1]).toBeCloseTo(1.4, 6);
    expect(Array.from(byName.mean)).toEqual(Array.from(byId.mean));
    expect(Array.from(byPoint.mean)).toEqual(Array.from(byId.mean));
    expect(byId.external).toMatchObject({ kind: 'count' });
    expect(byId.external!.sha256).toMatch(/^[0-9a-f]{64}$/);
    // Poisson scores exist for a count file: P(≥1) = 1 − e^−μ
    expect(byId.pAny[0]).toBeCloseTo(1 - Math.exp(-1), 6);
    expect(byId.logScore.every(Number.isFinite)).toBe(true);
  });

  it('refuse a duplicate key, naming both lines', async () => {
    const lines = fullCsv();
    lines.push(lines[5]);
    await expect(loadExternal({ name: 'x', file: csv('dup.csv', lines) }, smallCity())).rejects.toThrow(/dup\.csv line 74: duplicate row for unit c02, period 2021-06-07, burglary \(first on line 6\)/);
  });

  it('refuse a non-numeric value and NaN', async () => {
    const a = fullCsv(); a[3] = a[3].replace(/,[^,]+$/, ',high');
    await expect(loadExternal({ name: 'x', file: csv('text.csv', a) }, smallCity())).rejects.toThrow(/text\.csv line 4: value "high" is not a number/);
    const b = fullCsv(); b[3] = b[3].replace(/,[^,]+$/, ',NaN');
    await expect(loadExternal({ name: 'x', file: csv('nan.csv', b) }, smallCity())).rejects.toThrow(/nan\.csv line 4: value "NaN" is not a number/);
  });

  it('refuse negative counts unless told to keep or clip them', async () => {
    const a = fullCsv(); a[2] = a[2].replace(/,[^,]+$/, ',-0.25');
    const file = csv('neg.csv', a);
    await expect(loadExternal({ name: 'x', file }, smallCity())).rejects.toThrow(/neg\.csv: negative forecast -0\.25 at line 3 \(1 negative values in all\)/);
    const kept = await loadExternal({ name: 'x', file, negative: 'keep' }, smallCity());
    expect(kept.mean[1]).toBeCloseTo(-0.25, 6);
    expect(kept.external!.notes.join(' ')).toMatch(/negative=keep: 1 of 72 values/);
    const clipped = await loadExternal({ name: 'x', file, negative: 'clip' }, smallCity());
    expect(clipped.mean[1]).toBe(0);
  });

  it('refuse periods outside the test window and starts that are not a period start', async () => {
    const a = fullCsv(); a[1] = a[1].replace('2021-06-07', '2021-06-03');
    await expect(loadExternal({ name: 'x', file: csv('early.csv', a) }, smallCity())).rejects.toThrow(/early\.csv line 2: period "2021-06-03" is outside the test window 2021-06-07 \.\. 2021-06-10/);
    const b = fullCsv(); b[1] = b[1].replace('2021-06-07', '2021-06-07T12:00');
    await expect(loadExternal({ name: 'x', file: csv('noon.csv', b) }, smallCity())).rejects.toThrow(/noon\.csv line 2: period "2021-06-07T12:00" is not the start of a day period/);
  });

  it('refuse unknown unit ids, names and points outside every unit, and unknown categories', async () => {
    const a = fullCsv(); a[1] = a[1].replace(/^c00/, 'c99');
    await expect(loadExternal({ name: 'x', file: csv('unit.csv', a) }, smallCity())).rejects.toThrow(/unit\.csv line 2: unknown unit id "c99"/);
    const b = fullCsv({ key: 'name' }); b[1] = b[1].replace(/^Block 0-0/, 'Block 7-7');
    await expect(loadExternal({ name: 'x', file: csv('name.csv', b) }, smallCity())).rejects.toThrow(/name\.csv line 2: unknown polygon name "Block 7-7"/);
    const c = fullCsv({ key: 'point' }); c[1] = c[1].replace(/^[^,]+,[^,]+/, '10,10');
    await expect(loadExternal({ name: 'x', file: csv('point.csv', c) }, smallCity())).rejects.toThrow(/point\.csv line 2: unknown point \(inside no unit\) "10,10"/);
    const d = fullCsv(); d[1] = d[1].replace('burglary', 'arson');
    await expect(loadExternal({ name: 'x', file: csv('cat.csv', d) }, smallCity())).rejects.toThrow(/cat\.csv line 2: unknown category "arson"/);
  });

  it('refuse missing cells listing the first few and a count; zero fills them; skip drops their periods for every row', async () => {
    const a = fullCsv().filter((l) => !/^c11,2021-06-09/.test(l));
    const file = csv('gaps.csv', a);
    await expect(loadExternal({ name: 'x', file }, smallCity())).rejects.toThrow(/gaps\.csv: no forecast for 2 of 72 test cells \(2\.78%\), e\.g\. \(c11, 2021-06-09, burglary\) \(c11, 2021-06-09, theft\)/);
    const zero = await loadExternal({ name: 'x', file }, smallCity('zero'));
    expect(zero.mean[(2 * 9 + 4) * 2]).toBe(0);
    expect(zero.external!.notes.join(' ')).toMatch(/--external-missing zero: 2 of 72 test cells/);
    const skip = await loadExternal({ name: 'x', file }, smallCity('skip'));
    expect(skip.external!.skippedPeriods).toEqual([2]);
  });

  it('refuse a table without a value, period or category column', async () => {
    await expect(loadExternal({ name: 'x', file: csv('nov.csv', ['unit,period,category', 'c00,2021-06-07,theft']) }, smallCity())).rejects.toThrow(/no value column/);
    await expect(loadExternal({ name: 'x', file: csv('nop.csv', ['unit,category,value', 'c00,theft,1']) }, smallCity())).rejects.toThrow(/no period column/);
    await expect(loadExternal({ name: 'x', file: csv('noc.csv', ['unit,period,value', 'c00,2021-06-07,1']) }, smallCity())).rejects.toThrow(/no category column, but this run forecasts 2 categories/);
  });
});

describe('count tensors (.npy)', () => {
  const tensorFile = (name: string, data: Float32Array, shape: number[]) => put(name, serializeNpy(data, shape));

  it('load the period-major and the (rows, cols, periods, categories) grid layouts to the same cells', async () => {
    const ctx = smallCity();
    const flat = Float32Array.from({ length: 4 * RC }, (_, i) => i / 100);
    const grid = new Float32Array(4 * RC);
    for (let p = 0; p < 4; p++) for (let r = 0; r < 9; r++) for (let c = 0; c < 2; c++) grid[(r * 4 + p) * 2 + c] = flat[(p * 9 + r) * 2 + c];
    const a = await loadExternal({ name: 'a', file: tensorFile('flat.npy', flat, [4, 9, 2]) }, ctx);
    const b = await loadExternal({ name: 'b', file: tensorFile('grid.npy', grid, [3, 3, 4, 2]) }, ctx);
    expect(Array.from(a.mean)).toEqual(Array.from(flat));
    expect(Array.from(b.mean)).toEqual(Array.from(flat));
  });

  it('refuse a tensor of the wrong shape, saying the shape wanted', async () => {
    await expect(loadExternal({ name: 'x', file: tensorFile('short.npy', new Float32Array(3 * RC), [3, 9, 2]) }, smallCity()))
      .rejects.toThrow(/short\.npy: shape \(3, 9, 2\) does not fit this run's 4 test periods × 9 regions × 2 categories/);
    await expect(loadExternal({ name: 'x', file: tensorFile('grid-bad.npy', new Float32Array(4 * RC), [9, 1, 4, 2]) }, smallCity()))
      .resolves.toBeDefined(); // 9 × 1 is a valid lattice for 9 regions when the units have none
  });

  it('refuse NaN and negative values, naming the index in the file', async () => {
    const v = new Float32Array(4 * RC).fill(1); v[(2 * 9 + 4) * 2 + 1] = NaN;
    await expect(loadExternal({ name: 'x', file: tensorFile('nan.npy', v, [4, 9, 2]) }, smallCity())).rejects.toThrow(/nan\.npy: value at index \[2, 4, 1\] is NaN/);
    const w = new Float32Array(4 * RC).fill(1); w[(1 * 9 + 3) * 2] = -2;
    await expect(loadExternal({ name: 'x', file: tensorFile('neg.npy', w, [4, 9, 2]) }, smallCity())).rejects.toThrow(/neg\.npy: negative forecast -2 at \[1, 3, 0\]/);
  });
});

describe('box forecasts (GeoJSON)', () => {
  const boxes = (name: string, feats: { ring: [number, number][]; date: string; end?: string; category?: string }[]) => put(name, JSON.stringify({
    type: 'FeatureCollection',
    features: feats.map((f) => ({ type: 'Feature', properties: { date: f.date, end: f.end, category: f.category }, geometry: { type: 'Polygon', coordinates: [f.ring] } })),
  }));

  it('give each unit the share of its area covered, per period and category', async () => {
    // a box over the left half of c00 and a whole c22 box for two days
    const half = cellRing(0, 0); half[1][0] = half[2][0] = (half[0][0] + half[1][0]) / 2;
    const b = await loadExternal({ name: 'v', file: boxes('b.geojson', [
      { ring: half, date: '2021-06-07' }, { ring: cellRing(2, 2), date: '2021-06-08', end: '2021-06-10', category: 'theft' },
    ]) }, smallCity());
    expect(b.external!.kind).toBe('boxes');
    expect(b.mean[0]).toBeCloseTo(0.5, 3);
    expect(b.mean[1]).toBeCloseTo(0.5, 3);
    expect(b.mean[(1 * 9 + 8) * 2 + 1]).toBeCloseTo(1, 6);
    expect(b.mean[(2 * 9 + 8) * 2 + 1]).toBeCloseTo(1, 6);
    expect(b.mean[(3 * 9 + 8) * 2 + 1]).toBe(0); // end is exclusive
    expect(b.mean[(1 * 9 + 8) * 2]).toBe(0); // burglary not flagged
  });

  it('refuse a box that touches no unit, and one outside the test window', async () => {
    const far: [number, number][] = [[0, 0], [0.01, 0], [0.01, 0.01], [0, 0.01], [0, 0]];
    await expect(loadExternal({ name: 'v', file: boxes('far.geojson', [{ ring: cellRing(1, 1), date: '2021-06-07' }, { ring: far, date: '2021-06-07' }]) }, smallCity()))
      .rejects.toThrow(/far\.geojson feature 1: the box touches no unit of this run/);
    await expect(loadExternal({ name: 'v', file: boxes('late.geojson', [{ ring: cellRing(1, 1), date: '2021-06-11' }]) }, smallCity()))
      .rejects.toThrow(/late\.geojson feature 0: period "2021-06-11" is outside the test window/);
  });

  it('refuse GeoPackage and Shapefile with the conversion to run', async () => {
    await expect(loadExternal({ name: 'v', file: put('b.gpkg', 'x') }, smallCity())).rejects.toThrow(/GeoPackage \/ Shapefile boxes are not read/);
  });
});

describe('--external specs', () => {
  it('parse NAME=FILE with options, refuse a repeated name and an unknown missing policy', () => {
    expect(parseExternalSpec('sthsl=a,b/c.npy,negative=keep,layout=grid')).toEqual({ name: 'sthsl', file: 'a,b/c.npy', negative: 'keep', layout: 'grid' });
    expect(() => parseExternalSpec('nofile')).toThrow(/expected NAME=FILE/);
    expect(() => parseExternalSpecs(['a=x.csv', 'a=y.csv'])).toThrow(/name "a" is given twice/);
    expect(() => parseExternalSpec('a=x.npy,negative=drop')).toThrow(/negative=drop is not one of keep, clip/);
    expect(parseMissingPolicy(undefined)).toBe('refuse');
    expect(() => parseMissingPolicy('fill')).toThrow(/expected zero/);
  });
});

describe('long Parquet forecasts', () => {
  it('load like the CSV, with row numbers in errors', async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const src = csv('for-parquet.csv', fullCsv());
    const pq = join(dir, 'f.parquet'), bad = join(dir, 'bad.parquet');
    const inst = await DuckDBInstance.create(':memory:');
    const con = await inst.connect();
    await con.run(`COPY (SELECT * FROM read_csv('${src}', header = true, all_varchar = true)) TO '${pq}' (FORMAT parquet)`);
    await con.run(`COPY (SELECT unit, period, category, CASE WHEN unit = 'c21' AND period = '2021-06-09' AND category = 'theft' THEN '-1' ELSE value END AS value FROM read_csv('${src}', header = true, all_varchar = true)) TO '${bad}' (FORMAT parquet)`);
    con.closeSync(); inst.closeSync();
    const ctx = smallCity();
    const a = await loadExternal({ name: 'p', file: pq }, ctx);
    const b = await loadExternal({ name: 'c', file: src }, ctx);
    expect(Array.from(a.mean)).toEqual(Array.from(b.mean));
    await expect(loadExternal({ name: 'p', file: bad }, ctx)).rejects.toThrow(/bad\.parquet: negative forecast -1 at row \d+/);
  });
});
