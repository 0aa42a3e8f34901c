import { describe, expect, it, vi } from 'vitest';
import { Command } from 'commander';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { register as registerAllocate } from '../../src/cli/commands/allocate.js';
import { register as registerSimulate } from '../../src/cli/commands/simulate-policy.js';
import { register as registerRct } from '../../src/cli/commands/rct.js';
import { hasShared, sharedPath } from '../helpers.js';

const STSHN = 'stshn-chicago-2016-2017/tensors_npy';

async function run(register: (p: Command) => void, args: string[]): Promise<string> {
  const program = new Command();
  program.exitOverride();
  register(program);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => { out += String(s); return true; });
  try {
    await program.parseAsync(['node', 'crimecast', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'crimecast-action-'));
const square = (i: number) => ({ type: 'Polygon', coordinates: [[[i * 0.01, 0], [i * 0.01 + 0.01, 0], [i * 0.01 + 0.01, 0.01], [i * 0.01, 0.01], [i * 0.01, 0]]] });

describe('crimecast allocate', () => {
  it('allocates per shift from a forecast CSV and respects the maximum dosage', async () => {
    const csv = ['period_start,region,category,expected', 'day,a,THEFT,5', 'day,b,THEFT,1', 'day,c,THEFT,0.2', 'night,a,THEFT,0.1', 'night,b,THEFT,3', 'night,c,THEFT,2'].join('\n');
    writeFileSync(join(dir, 'f.csv'), csv);
    const out = JSON.parse(await run(registerAllocate, ['allocate', '--forecast', join(dir, 'f.csv'), '--units', '3,2', '--max', '2', '--coverage', 'linear:2', '--csv', join(dir, 'plan.csv'), '--json']));
    // linear saturation 2: a unit covers λ/2 up to 2 units — day: a twice (2.5 each), then b (0.5); night: b twice (1.5 each) beats c (1)
    expect(out.shifts[0].regions).toEqual([{ region: 'a', dosage: 2 }, { region: 'b', dosage: 1 }]);
    expect(out.shifts[0].covered).toBeCloseTo(5 + 0.5, 9);
    expect(out.shifts[1].regions).toEqual([{ region: 'b', dosage: 2 }]);
    expect(readFileSync(join(dir, 'plan.csv'), 'utf8')).toContain('night,b,3.00000,2,3.00000');
  });

  it('caps a group\'s share with the MIP and writes the plan GeoJSON', async () => {
    const fc = { type: 'FeatureCollection', features: [4, 3, 1, 0.5].map((e, i) => ({ type: 'Feature', id: `r${i}`, geometry: square(i), properties: { id: `r${i}`, expected: e, north: i < 2 ? 1 : 0 } })) };
    writeFileSync(join(dir, 'f.geojson'), JSON.stringify(fc));
    const out = JSON.parse(await run(registerAllocate, ['allocate', '--forecast', join(dir, 'f.geojson'), '--units', '4', '--group-cap', 'north=0.5', '--coverage', 'exp:1', '--out', join(dir, 'plan.geojson'), '--json']));
    expect(out.shifts[0].method).toBe('mip');
    const plan = JSON.parse(readFileSync(join(dir, 'plan.geojson'), 'utf8'));
    const d = plan.features.map((f: { properties: { dosage_expected: number } }) => f.properties.dosage_expected);
    expect(d[0] + d[1]).toBeLessThanOrEqual(2);
    expect(d.reduce((a: number, b: number) => a + b, 0)).toBe(4);
    expect(plan.features[0].geometry.type).toBe('Polygon');
  });

  it('refuses a --units budget that disagrees with the number of --bases instead of ignoring it', async () => {
    await expect(run(registerAllocate, ['allocate', '--forecast', join(dir, 'f.geojson'), '--units', '4', '--bases', '0.005,0.005;0.005,0.025', '--travel-km', '5', '--json']))
      .rejects.toThrow(/--units 4 disagrees with --bases: each of the 2 bases is one patrol, so the budget per shift is 2/);
    const out = JSON.parse(await run(registerAllocate, ['allocate', '--forecast', join(dir, 'f.geojson'), '--units', '2', '--bases', '0.005,0.005;0.005,0.025', '--travel-km', '5', '--json']));
    expect(out.shifts[0].dosageUsed).toBe(2);
  });
});

describe.runIf(hasShared(STSHN))('crimecast simulate-policy and rct on the Chicago tensor', () => {
  it('simulate-policy reports policies with CIs against top-k', async () => {
    const out = JSON.parse(await run(registerSimulate, ['simulate-policy', '--data', sharedPath(STSHN), '--policy', 'thompson', '--start', '600', '--days', '30', '--bootstrap', '200', '--json']));
    expect(out.summaries.map((s: { policy: string }) => s.policy)).toEqual(['topk(moving-average:window=30)', 'thompson', 'oracle']);
    const t = out.summaries[1];
    expect(t.coveredPerDay.lo).toBeLessThanOrEqual(t.coveredPerDay.estimate);
    expect(t.coveredVsBaseline.lo).toBeLessThanOrEqual(t.coveredVsBaseline.hi);
  });

  it('rct demo writes files that rct analyse reads back to the same estimate', async () => {
    const demo = JSON.parse(await run(registerRct, ['rct', 'demo', '--stshn', sharedPath(STSHN), '--rate-ratio', '0.7', '--permutations', '199', '--out-dir', dir, '--json']));
    expect(demo.effect.rateRatio).toBeGreaterThan(0.55);
    expect(demo.effect.rateRatio).toBeLessThan(0.85);
    const a = JSON.parse(await run(registerRct, ['rct', 'analyse', '--assignment', join(dir, 'assignment.csv'), '--outcomes', join(dir, 'outcomes.csv'), '--stshn-grid', '--permutations', '199', '--json']));
    expect(a.effect.rateRatio).toBeCloseTo(demo.effect.rateRatio, 6);
    expect(a.randomisation.p).toBeLessThan(0.05);
    expect(a.spillover.p).toBeGreaterThan(0);
  });

  it('rct design writes the assignment and a power table with closed-form and simulated power', async () => {
    const d = JSON.parse(await run(registerRct, ['rct', 'design', '--stshn', sharedPath(STSHN), '--simulate', '100', '--effects', '0.8', '--out', join(dir, 'a.csv'), '--power-out', join(dir, 'p.csv'), '--json']));
    expect(d.treated + d.control).toBe(d.units);
    const row = d.power[0];
    expect(row.powerClosedForm).toBeGreaterThan(0.05);
    expect(Math.abs(row.powerSimulated - row.powerClosedForm)).toBeLessThan(0.15);
    expect(readFileSync(join(dir, 'a.csv'), 'utf8').split('\n')[0]).toBe('unit,baseline,block,treated,scheme,p_treat');
  });
});
