/** Benchmark spec files: the shipped ones validate, paths resolve, tensors get the spec's own dates, bad specs are refused by field. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSpecFile, parseSpec, specPath } from '../../../src/evaluate/spec/load.js';
import { loadSpecData } from '../../../src/evaluate/spec/data.js';
import { SHIPPED_SPECS } from '../../../src/evaluate/spec/shipped.js';
import { listProtocols } from '../../../src/evaluate/protocols/index.js';
import '../../../src/models/all.js';
import { writeNpy } from '../../../src/tensor/npy.js';
import { localDateToUtc } from '../../../src/time/bins.js';
import { neighborsOf } from '../../../src/space/units.js';

const base = {
  name: 'city', description: 'test city', place: 'Perth (synthetic)', timeZone: 'Australia/Perth', period: 'day', categories: ['a', 'b'],
  spans: { train: { from: '2022-01-01', to: '2022-01-20' }, validation: { from: '2022-01-21', to: '2022-01-25' }, test: { from: '2022-01-26', to: '2022-01-30' } },
  task: 'counts', metrics: { hotspots: { coverages: [0.1], area: 'units' } },
};

function tensorSpec(extra: Record<string, unknown> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'spec-'));
  const x = new Float32Array(30 * 4 * 2).map((_, i) => i % 3);
  writeNpy(join(dir, 'w.npy'), x, [30, 4, 2]);
  const file = join(dir, 'city.json');
  writeFileSync(file, JSON.stringify({ ...base, source: { kind: 'tensor', file: 'w.npy', layout: 'periods,regions,categories', start: '2022-01-01' }, ...extra }));
  return { dir, file };
}

describe('benchmark spec files', () => {
  it('every shipped spec validates, is named after its file and is a registered protocol', () => {
    const names = listProtocols().map((p) => p.name);
    const files = readdirSync(SHIPPED_SPECS).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(13);
    for (const f of files) {
      const { spec } = loadSpecFile(join(SHIPPED_SPECS, f));
      expect(`${spec.name}.json`).toBe(f);
      expect(names).toContain(spec.name);
    }
  });

  it('a tensor gets the spec\'s start, time zone, categories and spans (calendar features see the city\'s own dates)', async () => {
    const { file } = tensorSpec();
    const sd = await loadSpecData(loadSpecFile(file), ['historical-average']);
    const t = sd.data.tensor;
    expect(t.tz).toBe('Australia/Perth');
    expect(t.periodStart[0]).toBe(localDateToUtc('2022-01-01', 'Australia/Perth'));
    expect(t.categoryNames).toEqual(['a', 'b']);
    expect(sd.train).toEqual([0, 20]);
    expect(sd.validation).toEqual([20, 25]);
    expect(sd.test).toEqual([25, 30]);
  });

  it('refuses spans outside the data, a category count that does not match, and unknown fields, naming the field', async () => {
    let { file } = tensorSpec({ spans: { ...base.spans, test: { from: '2022-01-26', to: '2022-02-10' } } });
    await expect(loadSpecData(loadSpecFile(file), ['persistence'])).rejects.toThrow(/spans\.test 2022-01-26…2022-02-10 lies outside the data/);
    ({ file } = tensorSpec({ categories: ['a', 'b', 'c'] }));
    await expect(loadSpecData(loadSpecFile(file), ['persistence'])).rejects.toThrow(/w\.npy holds 2 categories, the spec names 3/);
    expect(() => parseSpec(JSON.stringify({ ...base, colour: 'red', source: { kind: 'tensor', file: 'w.npy', layout: 'periods,regions,categories', start: '2022-01-01' } }), 'x.json')).toThrow(/x\.json: invalid benchmark spec[\s\S]*colour/);
    expect(() => parseSpec('{ "name": ', 'y.json')).toThrow(/y\.json: not valid JSON/);
  });

  it('resolves paths relative to the spec and ${SHARED_DATA} against the data folder, naming the field of a missing file', () => {
    const { dir, file } = tensorSpec();
    const loaded = loadSpecFile(file);
    expect(specPath(loaded, 'w.npy', 'source.file')).toBe(join(dir, 'w.npy'));
    expect(specPath(loaded, '${SHARED_DATA}/w.npy', 'source.file', dir)).toBe(join(dir, 'w.npy'));
    expect(() => specPath(loaded, 'nope.npy', 'units.file')).toThrow(/city\.json: units\.file "nope\.npy" .* not found/);
  });

  it('stshn-splits: the files are the splits, and spans that disagree are refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'splits-'));
    for (const [s, days] of [['trn', 6], ['val', 2], ['tst', 3]] as const) writeNpy(join(dir, `${s}.npy`), new Float32Array(2 * 2 * days * 1), [2, 2, days, 1]);
    const spec = { ...base, categories: ['a'], timeZone: 'Asia/Tokyo', source: { kind: 'tensor', file: '.', layout: 'stshn-splits', start: '2022-03-01' },
      spans: { train: { from: '2022-03-01', to: '2022-03-06' }, validation: { from: '2022-03-07', to: '2022-03-08' }, test: { from: '2022-03-09', to: '2022-03-11' } } };
    writeFileSync(join(dir, 'ok.json'), JSON.stringify(spec));
    const sd = await loadSpecData(loadSpecFile(join(dir, 'ok.json')), ['persistence']);
    expect(sd.test).toEqual([8, 11]);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...spec, spans: { ...spec.spans, test: { from: '2022-03-10', to: '2022-03-11' } } }));
    await expect(loadSpecData(loadSpecFile(join(dir, 'bad.json')), ['persistence'])).rejects.toThrow(/spans\.test must be 2022-03-09…2022-03-11, the tst\.npy split/);
  });

  it('point models on a tensor source get its raw incidents, with those outside the units counted; without them the spec is refused', async () => {
    const units = { kind: 'degree-grid', minLat: -32, minLon: 115.8, rows: 2, cols: 2, kmPerDegLat: 111, kmPerDegLon: 94.5, cellKm: 3 };
    let { file } = tensorSpec({ units });
    await expect(loadSpecData(loadSpecFile(file), ['kde'])).rejects.toThrow(/need raw incidents; the spec's tensor source has none/);
    const { dir } = tensorSpec();
    writeFileSync(join(dir, 'raw.csv'), 'when,what,lat,lon\n2022-01-03 10:00,a,-31.99,115.81\n2022-01-04 11:00,b,-31.97,115.84\n2022-01-05 12:00,a,-33.5,115.81\n');
    file = join(dir, 'with-raw.json');
    writeFileSync(file, JSON.stringify({ ...base, units, source: { kind: 'tensor', file: 'w.npy', layout: 'periods,regions,categories', start: '2022-01-01',
      incidents: { kind: 'incidents', file: 'raw.csv', timeCol: 'when', categoryCol: 'what', latCol: 'lat', lonCol: 'lon', bbox: null } } }));
    const sd = await loadSpecData(loadSpecFile(file), ['kde']);
    expect([...sd.data.incidentRegion!]).toEqual([0, 3, -1]);
    expect(sd.notes.join('\n')).toMatch(/Point models see 2 of 3 raw incidents of raw\.csv; 1 \(33\.3%\) fall outside the units/);
  });

  it('a spec\'s adjacency file reaches the models that need units (gnn reads units.adjacency); unknown ids are refused', async () => {
    const { dir, file } = tensorSpec({ units: { kind: 'degree-grid', minLat: -32, minLon: 115.8, rows: 2, cols: 2, kmPerDegLat: 111, kmPerDegLon: 94.5, cellKm: 3 }, adjacency: 'graph.csv' });
    writeFileSync(join(dir, 'graph.csv'), '0,3\n');
    const sd = await loadSpecData(loadSpecFile(file), ['gnn']);
    expect([...neighborsOf(sd.data.units!.adjacency, 0)]).toEqual([3]);
    expect(sd.notes.join('\n')).toMatch(/region graph: .*graph\.csv, 1 edges over 4 regions; 2 of 4 regions have no neighbour/);
    // models that do not ask for units are not given them
    expect((await loadSpecData(loadSpecFile(file), ['historical-average'])).data.units).toBeUndefined();
    writeFileSync(join(dir, 'graph.csv'), '0,3\n1,9\n');
    await expect(loadSpecData(loadSpecFile(file), ['gnn'])).rejects.toThrow(/graph\.csv:2: unknown unit id "9"/);
  });
});
