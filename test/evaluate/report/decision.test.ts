/**
 * The report decides by a stated rule on the headline metrics with paired CIs, explains PAI in km², shows the
 * RECOMMENDED model's map with outline, legend and scale bar, defines the metrics it shows and folds the tables.
 */
import { describe, expect, it } from 'vitest';
import type { MetricResult, ModelReport, ProtocolResult } from '../../../src/evaluate/protocols/types.js';
import { buildGrid } from '../../../src/space/grid.js';
import { paiMeaning, recommend } from '../../../src/evaluate/report/decision.js';
import { protocolReport } from '../../../src/evaluate/report/protocol-report.js';
import { renderHtmlReport } from '../../../src/evaluate/report/html.js';
import { mapSvg, outlineEdges } from '../../../src/evaluate/report/map-svg.js';
import { lineChartSvg } from '../../../src/evaluate/report/svg.js';
import { readOverlay } from '../../../src/evaluate/report/overlay.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// 4 × 5 cells of 1 km: 20 km²
const units = buildGrid({ cell: 1000, bbox: { minLat: 41.8, minLon: -87.7, maxLat: 41.8 + 0.009 * 3.5, maxLon: -87.7 + 0.012 * 4.5 } });
const DAY = 86_400_000;

const metric = (value: number, better: 'lower' | 'higher', vs?: [number, number, number]): MetricResult =>
  ({ value, lo: value * 0.9, hi: value * 1.1, better, ...(vs ? { vsReference: { diff: vs[0], lo: vs[1], hi: vs[2], p: vs[1] > 0 || vs[2] < 0 ? 0.01 : 0.4 } } : {}) });

function model(spec: string, m: Record<string, MetricResult>, risk: number[]): ModelReport {
  return {
    spec, name: spec, params: {}, family: 'baseline', metrics: m, warnings: [], worseThanReference: [],
    timing: { fits: 1, updates: 0, fitMs: 10, updateMs: 0, predictMs: 1 },
    fitted: { betweenRefits: 'conditioned', fits: 1, updates: 0, frozenOrigins: 0, origins: 10 },
    lastPeriodRisk: Float32Array.from({ length: units.n }, (_, r) => risk[r % risk.length]),
  };
}

function result(models: ModelReport[]): ProtocolResult {
  return {
    protocol: 'rolling', description: 'rolling-origin backtest', notes: ['Each test period is forecast from every period before it (no look-ahead); models are refitted every `refitEvery` periods.'],
    categories: ['THEFT'], regionIds: units.ids, testPeriodStart: Float64Array.from({ length: 10 }, (_, p) => Date.UTC(2024, 0, 10, 6) + p * DAY),
    reference: 'historical-average', metricNames: ['PAI@1%/all', 'hitRate@1%/all', 'logScore/all', 'logScore/THEFT'], models, backtests: [], units,
  };
}

const ref = model('historical-average', { 'PAI@1%/all': metric(4, 'higher'), 'hitRate@1%/all': metric(0.04, 'higher'), 'logScore/all': metric(0.5, 'lower'), 'logScore/THEFT': metric(0.5, 'lower') }, [0, 1, 2, 3]);
// better hot spots, but significantly worse counts: not recommendable
const sharp = model('kde:bandwidth=200', { 'PAI@1%/all': metric(9, 'higher', [5, 2, 8]), 'hitRate@1%/all': metric(0.09, 'higher', [0.05, 0.02, 0.08]), 'logScore/all': metric(0.6, 'lower', [0.1, 0.05, 0.15]), 'logScore/THEFT': metric(0.6, 'lower', [0.1, 0.05, 0.15]) }, [5, 0, 0, 0]);
// better hot spots, counts not distinguishable: the recommendation
const good = model('etas-grid', { 'PAI@1%/all': metric(6, 'higher', [2, 0.5, 3.5]), 'hitRate@1%/all': metric(0.06, 'higher', [0.02, 0.005, 0.035]), 'logScore/all': metric(0.49, 'lower', [-0.01, -0.03, 0.01]), 'logScore/THEFT': metric(0.49, 'lower', [-0.01, -0.03, 0.01]) }, [1, 8, 1, 1]);
const tie = model('moving-average:window=30', { 'PAI@1%/all': metric(4.2, 'higher', [0.2, -1, 1.4]), 'hitRate@1%/all': metric(0.042, 'higher', [0.002, -0.01, 0.014]), 'logScore/all': metric(0.51, 'lower', [0.01, -0.02, 0.04]), 'logScore/THEFT': metric(0.51, 'lower', [0.01, -0.02, 0.04]) }, [1, 1, 1, 1]);

describe('report decision', () => {
  it('recommends the model significantly better on a headline metric and not significantly worse on the other', () => {
    const rec = recommend(result([ref, sharp, good, tie]));
    expect([rec.model.spec, rec.index, rec.beatsReference, rec.decidedBy]).toEqual(['etas-grid', 2, true, 'PAI@1%/all']);
    expect(rec.rule).toMatch(/^Rule: a model is recommended over the long-run map \(historical-average\) when its paired 95% bootstrap interval on PAI@1%\/all or logScore\/all/);
  });

  it('says no model beats the long-run map when none does', () => {
    const r = result([ref, sharp, tie]);
    expect(recommend(r)).toMatchObject({ index: 0, beatsReference: false });
    const html = renderHtmlReport(protocolReport(r, { units }));
    expect(html).toContain('No model beats the long-run map (historical-average) on this run: keep using historical-average.');
    expect(html).toContain('historical-average: expected incidents per km² in the last test day (2024-01-19)');
  });

  it('says what PAI means in km² and shares of crime', () => {
    const s = paiMeaning(result([ref, good]), good, 'PAI@1%/all')!;
    expect(s).toBe('PAI 6.0 at 1.0% means: the 0.2 km² (1.0% of the 20 km² study area) that etas-grid flags each day held 6.0% of the incidents; ' +
      'share of crime ÷ share of area = 6.0% ÷ 1.00% (the whole regions actually flagged). An hour of patrol there passes about 6 times the crime of an hour spent at a random place in the study area.');
  });

  it('renders the decision first with the recommended model\'s map, a glossary of the metrics shown, and the tables folded', () => {
    const r = result([ref, sharp, good, tie]);
    const html = renderHtmlReport(protocolReport(r, { units, run: { dataset: 'file beats.csv', units: 'grid:1000', refitEvery: 7, tz: 'America/Chicago' } }));
    const body = html.slice(html.indexOf('<body>'));
    const first = body.indexOf('<section class="decision">');
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(body.indexOf('<h2>This run</h2>'));
    expect(body).toContain('Use etas-grid. On this run it beats the long-run map (historical-average) on PAI@1%/all');
    expect(body).toContain('PAI@1%/all: 6.00 vs 4.00 for historical-average, a difference of +2.00 (+50%), paired 95% CI 0.500 to 3.50, p = 0.010 — significantly better');
    // the map is the recommended model's, in per-km² units with its legend, outline and scale bar
    expect(body).toContain('etas-grid: expected incidents per km² in the last test day (2024-01-19)');
    expect(body).toContain('expected incidents per km²');
    expect(body).toContain('study-area outline');
    expect(body).toMatch(/>\d+(\.\d+)? km<\/text>/);
    expect(body).toContain('refitted every 7 test periods');
    expect(body).not.toContain('`refitEvery`');
    expect(body).toContain('models are refitted every 7 periods.');
    // glossary: metrics shown, not others
    expect(body).toContain('<dt>PAI (predictive accuracy index)</dt>');
    expect(body).toContain('<dt>log score</dt>');
    expect(body).not.toContain('<dt>RPS (ranked probability score)</dt>');
    // who wins: pooled metrics only, one line each
    const who = body.slice(body.indexOf('Who wins'), body.indexOf('What the metrics mean'));
    expect(who.match(/<dt>/g)).toHaveLength(3);
    expect(who).not.toContain('THEFT');
    // full tables folded, grouped by category
    expect(body).toMatch(/<details class="top"><summary><h2>Full results \(4 metrics, grouped\)<\/h2><\/summary>/);
    expect(body).toContain('<h3>All categories together</h3>');
    expect(body).toContain('<h3>Category: THEFT</h3>');
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  it('map: outline of the union, class breaks in the legend, tiles only when a basemap is given', () => {
    const r = result([ref, good]);
    const m = protocolReport(r, { units }).sections[0].maps![0];
    // a 4 × 5 block of cells: 18 unit edges around it
    expect(outlineEdges(m)).toHaveLength(2 * (units.lattice!.rows + units.lattice!.cols));
    expect(mapSvg(m)).not.toContain('<image');
    const tiled = mapSvg({ ...m, basemap: 'https://tile.example.org/{z}/{x}/{y}.png' });
    const hrefs = [...tiled.matchAll(/<image href="https:\/\/tile\.example\.org\/(\d+)\/(\d+)\/(\d+)\.png"/g)];
    expect(hrefs.length).toBeGreaterThan(0);
    // Chicago at zoom z: x tile = floor((lon + 180) / 360 · 2^z)
    const z = Number(hrefs[0][1]);
    expect(hrefs.map((h) => Number(h[2]))).toContain(Math.floor(((-87.68 + 180) / 360) * 2 ** z));
    expect(tiled).toContain('basemap tiles: tile.example.org');
  });

  it('chart legends wrap below the plot instead of running off the edge', () => {
    const names = ['moving-average:window=30', 'gbm:trainPeriods=28,lr=0.05', 'historical-average', 'etas-grid:bandwidth=500'];
    const svg = lineChartSvg({ title: 't', xLabel: 'x', yLabel: 'y', series: names.map((name) => ({ name, x: [0.01, 1], y: [0.1, 1] })) }, 640, 360);
    const xs = [...svg.matchAll(/<text x="([\d.]+)" y="[\d.]+" font-size="11">([^<]+)<\/text>/g)].filter((m) => names.includes(m[2]));
    expect(xs).toHaveLength(4);
    for (const [, x, name] of xs) expect(Number(x) + 6.4 * name.length).toBeLessThanOrEqual(640);
    expect(Number(/height="(\d+)"/.exec(svg)![1])).toBeGreaterThan(360);
  });

  it('draws the user\'s boundaries over the map with their names, and says what it could not draw', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cc-ov-')), 'beats.geojson');
    const sq = (x: number) => [[[x, 41.8], [x + 0.02, 41.8], [x + 0.02, 41.82], [x, 41.82], [x, 41.8]]];
    writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { BEAT: '111', name: 'Loop & River' }, geometry: { type: 'Polygon', coordinates: sq(-87.7) } },
      { type: 'Feature', properties: { BEAT: '112', name: 'Near West' }, geometry: { type: 'Polygon', coordinates: sq(-87.68) } },
      { type: 'Feature', properties: { BEAT: 'x' }, geometry: { type: 'Point', coordinates: [-87.69, 41.81] } },
    ] }));
    const ov = readOverlay(file);
    expect([ov.name, ov.labels, ov.note]).toEqual(['beats.geojson', ['Loop & River', 'Near West'], '1 of 3 features of beats.geojson are not polygons and are not drawn']);
    expect(readOverlay(`${file},label=BEAT`).labels).toEqual(['111', '112']);
    expect(() => readOverlay(`${file},label=NAME2`)).toThrow(/no property "NAME2"/);
    const html = renderHtmlReport(protocolReport(result([ref, good]), { units, overlays: [ov] }));
    expect(html).toContain('>Loop &amp; River</text>');
    expect(html.match(/stroke-dasharray="4 2"/g)).toHaveLength(2); // the overlay group and its legend line
    expect(html).toContain('Map overlay: 1 of 3 features of beats.geojson are not polygons and are not drawn.');
  });
});
