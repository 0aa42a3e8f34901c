/** `crimecast trend` end to end on a synthetic tensor and a synthetic incident CSV, each with a known level shift. */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { register } from '../../../src/cli/commands/trend.js';
import { createTensor } from '../../../src/tensor/count-tensor.js';
import { writeTensorFile } from '../../../src/tensor/io.js';
import { binningFromStart } from '../../../src/time/bins.js';
import { Rng } from '../../../src/util/rng.js';

const dir = mkdtempSync(join(tmpdir(), 'cc-trend-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<Record<string, unknown>> {
  const program = new Command().exitOverride();
  register(program);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { out += String(chunk); return true; });
  try { await program.parseAsync(['node', 'crimecast', ...args]); } finally { spy.mockRestore(); }
  return JSON.parse(out) as Record<string, unknown>;
}

describe('crimecast trend', () => {
  // 3 regions × 2 categories × 300 days; region "1" THEFT jumps from 8 to 14 a day on day 180
  const days = 300, R = 3, C = 2, rng = new Rng(1);
  const b = binningFromStart('day', 'America/Chicago', '2017-01-02', days);
  const data = new Float32Array(days * R * C);
  for (let p = 0; p < days; p++) for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) {
    const weekly = p % 7 === 5 ? 1.3 : p % 7 === 6 ? 0.7 : 1;
    data[(p * R + r) * C + c] = rng.poisson((r === 1 && c === 0 ? (p < 180 ? 8 : 14) : 2) * weekly);
  }
  const tensorPath = join(dir, 't.npy');
  writeTensorFile(tensorPath, createTensor({ periods: days, regions: R, categories: C, categoryNames: ['THEFT', 'BATTERY'], regionIds: ['0', '1', '2'], periodStart: Float64Array.from(b.periodStart), unit: 'day', tz: 'America/Chicago' }, data));

  it('finds the shift of one region and category from a tensor (JSON out)', async () => {
    const out = join(dir, 'trend.json');
    const res = await run(['trend', '--tensor', tensorPath, '--region', '1', '--category', 'THEFT', '--out', out, '--json']);
    const cps = res.changePoints as { date: string; index: number; before: number; after: number }[];
    expect(cps.length).toBeGreaterThanOrEqual(1);
    const main = cps.reduce((a, c) => (Math.abs(c.after - c.before) > Math.abs(a.after - a.before) ? c : a));
    expect(Math.abs(main.index - 180)).toBeLessThanOrEqual(7);
    expect(main.before).toBeGreaterThan(6); expect(main.after).toBeGreaterThan(12);
    expect(res.seasonalPeriods).toEqual([7]);
    const full = JSON.parse(readFileSync(out, 'utf8')) as { series: { observed: number[]; trend: number[] } };
    expect(full.series.observed.length).toBe(days);
    expect(full.series.observed[0]).toBe(data[(0 * R + 1) * C + 0]);
  });

  it('weekly citywide series as SVG', async () => {
    const out = join(dir, 'trend.svg');
    const res = await run(['trend', '--tensor', tensorPath, '--city', '--period', 'week', '--out', out, '--json']);
    expect(res.unit).toBe('week');
    // 300 days from Monday 2017-01-02: the last week holds 6 of its 7 days and is cut off, named
    expect(res.periods).toBeGreaterThanOrEqual(42);
    expect(res.periods + res.partialPeriodsLeftOut.length).toBeGreaterThanOrEqual(43);
    for (const n of res.partialPeriodsLeftOut) expect(n).toMatch(/covers \d+% of its week: a partial count, left out/);
    const svg = readFileSync(out, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect((svg.match(/<polyline/g) ?? []).length).toBe(5);
  });

  it('reads incidents from a file for the city', async () => {
    // stshn-chicago rows: date, category, lat, lon; 4 thefts a day before 2017-03-01, 9 after
    const rows = ['01/01/2017 12:00:00 AM,THEFT,41.8,-87.7'];
    const r2 = new Rng(3);
    for (let d = 0; d < 120; d++) {
      const day = new Date(Date.UTC(2017, 0, 2 + d));
      const k = r2.poisson(d < 58 ? 4 : 9);
      const mm = String(day.getUTCMonth() + 1).padStart(2, '0'), dd = String(day.getUTCDate()).padStart(2, '0');
      for (let i = 0; i < k; i++) rows.push(`${mm}/${dd}/2017 01:${String(10 + i).padStart(2, '0')}:00 PM,THEFT,41.8,-87.7`);
    }
    const csv = join(dir, 'inc.csv');
    writeFileSync(csv, rows.join('\n') + '\n');
    const res = await run(['trend', '--input', csv, '--preset', 'stshn-chicago', '--drop-first-row', '--city', '--out', join(dir, 'c.json'), '--json']);
    const cps = res.changePoints as { date: string }[];
    expect(cps.map((c) => c.date)).toContain('2017-03-01');
    await expect(run(['trend', '--tensor', tensorPath, '--out', join(dir, 'x.json')])).rejects.toThrow(/--region ID or --city/);
  });
});

describe('trend --json without --out', () => {
  it('prints the components instead of requiring a file', async () => {
    const { spawnSync } = await import('node:child_process');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join: j } = await import('node:path');
    const d = mkdtempSync(j(tmpdir(), 'trend-json-'));
    const rows: string[] = [];
    for (let day = 1; day <= 28; day++) for (let k = 0; k < 3 + (day % 7); k++) rows.push(`02/${String(day).padStart(2, '0')}/2017 0${k + 1}:10:00 PM,THEFT,41.8,-87.7`);
    writeFileSync(j(d, 'f.csv'), rows.join('\n') + '\n');
    const r = spawnSync('node', ['bin/crimecast.js', 'trend', '--input', j(d, 'f.csv'), '--preset', 'stshn-chicago', '--city', '--json'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.series.observed.length).toBe(28);
    expect(out.series.observed[0]).toBe(4);
    const bad = spawnSync('node', ['bin/crimecast.js', 'trend', '--input', j(d, 'f.csv'), '--preset', 'stshn-chicago', '--city'], { encoding: 'utf8' });
    expect(bad.stderr).toMatch(/--out trend\.svg \| trend\.json, or --json/);
  }, 60_000);
});
