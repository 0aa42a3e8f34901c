/** Job kinds run in-process (no servers): they give exactly what the library gives, and bad parameters fail early. */
import { describe, expect, it } from 'vitest';
import '../../src/jobs/kinds/all.js';
import { getJobKind, listJobKinds, parseJobParams, type JobContext } from '../../src/jobs/kinds/registry.js';
import { runRolling } from '../../src/evaluate/protocols/rolling.js';
import { syntheticCityTable } from '../../src/store/synthetic-city.js';
import { buildDataset } from '../../src/tensor/dataset.js';

const city = { incidents: 4000, days: 60, seed: 3 };
const ctx = (): JobContext & { seen: number[] } => {
  const seen: number[] = [];
  return { cache: new Map(), seen, progress: (f) => seen.push(f) };
};

describe('job kinds', () => {
  it('lists backtest and forecast and validates parameters before anything runs', () => {
    expect(listJobKinds().map((k) => k.kind)).toEqual(expect.arrayContaining(['backtest', 'forecast']));
    expect(() => parseJobParams('nope', {})).toThrow(/unknown job kind "nope"/);
    expect(() => parseJobParams('backtest', { data: { synthetic: city }, models: ['persistence'] })).toThrow(/exactly one of testFrom and testPeriods/);
    expect(() => parseJobParams('backtest', { data: { synthetic: city }, testPeriods: 5, models: ['moving-average:window=0'] })).toThrow(/models\.0/);
    expect(() => parseJobParams('backtest', { data: { dataset: 'x', bogus: 1 }, testPeriods: 5, models: ['persistence'] })).toThrow(/bad parameters for a backtest job/);
  });

  it('backtest: the same leaderboard as runRolling on the same data, with progress up to 1', async () => {
    const p = parseJobParams('backtest', { data: { synthetic: city }, units: 'grid:2000', testPeriods: 10, bootstrap: 100, models: ['moving-average:window=7', 'historical-average'] });
    const c = ctx();
    const r = await getJobKind('backtest').run(p, c) as { testPeriods: number; regions: number; models: { spec: string; metrics: Record<string, unknown> }[] };
    const data = buildDataset(syntheticCityTable(city), { units: 'grid:2000', period: 'day' });
    const ref = await runRolling(data, ['moving-average:window=7', 'historical-average'], { testStart: data.tensor.periods - 10, bootstrap: 100, seed: 1, workers: 1 });
    expect([r.testPeriods, r.regions]).toEqual([10, ref.regionIds.length]);
    expect(r.models.map((m) => m.spec)).toEqual(['moving-average:window=7', 'historical-average']);
    expect(r.models[0].metrics).toEqual(ref.models[0].metrics);
    expect(r.models[1].metrics).toEqual(ref.models[1].metrics);
    expect(c.seen.at(-1)).toBe(1);
    expect(c.cache.size).toBe(1); // the dataset stays for the next job on this thread
  });

  it('forecast: expected counts per area from a fitted model, flagged areas at the coverage', async () => {
    const p = parseJobParams('forecast', { data: { synthetic: city }, units: 'grid:2000', model: 'historical-average', coverage: 0.05 });
    const r = await getJobKind('forecast').run(p, ctx()) as { regionIds: string[]; expected: number[]; flagged: string[] };
    const data = buildDataset(syntheticCityTable(city), { units: 'grid:2000', period: 'day' });
    expect(r.expected.length).toBe(data.tensor.regions);
    // the historical average forecasts each area's mean daily count: they sum to the city's mean daily count
    const total = data.tensor.data.reduce((a, b) => a + b, 0);
    expect(r.expected.reduce((a, b) => a + b, 0)).toBeCloseTo(total / data.tensor.periods, 3);
    expect(r.flagged.length).toBeGreaterThan(0);
    expect(r.flagged.length).toBeLessThan(r.regionIds.length * 0.1);
  });
});
