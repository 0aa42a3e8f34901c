import { Command } from 'commander';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { register } from '../../../src/cli/commands/hotspots.js';

/**
 * A small headerless ST-SHN-style file: a 6×6 block of 400 m cells around (41.85, −87.65); every cell gets
 * 1–2 incidents per week for 8 weeks, and the north-east corner cell gets 20 extra THEFTs in the final week.
 */
function writeIncidents(dir: string): string {
  const lines: string[] = [];
  const dLat = 400 / 111_320, dLon = 400 / (111_320 * Math.cos((41.85 * Math.PI) / 180));
  const at = (week: number, day: number) => {
    const d = new Date(Date.UTC(2017, 0, 2 + week * 7 + day)); // 2017-01-02 is a Monday
    return `${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}/2017 10:00:00 AM`;
  };
  for (let r = 0; r < 6; r++) for (let c = 0; c < 6; c++) {
    const lat = 41.85 + (r + 0.5) * dLat, lon = -87.65 + (c + 0.5) * dLon;
    for (let w = 0; w < 8; w++) for (let k = 0; k < 1 + ((r + c + w) % 2); k++) lines.push(`${at(w, k)},BATTERY,${lat.toFixed(6)},${lon.toFixed(6)}`);
    if (r >= 4 && c >= 4) for (let k = 0; k < 20; k++) lines.push(`${at(7, k % 5)},THEFT,${lat.toFixed(6)},${lon.toFixed(6)}`);
  }
  const file = join(dir, 'incidents.csv');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

async function run(args: string[]): Promise<Record<string, unknown>> {
  const program = new Command().exitOverride();
  register(program);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => { out += String(s); return true; });
  try {
    await program.parseAsync(['node', 'crimecast', 'hotspots', ...args]);
  } finally {
    spy.mockRestore();
  }
  return JSON.parse(out);
}

describe('crimecast hotspots', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crimecast-hotspots-'));
  const input = writeIncidents(dir);
  const common = ['--input', input, '--preset', 'stshn-chicago', '--units', 'grid:400', '--json'];
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gi* writes a GeoJSON with a hot corner', async () => {
    const out = join(dir, 'gi.geojson');
    const s = await run(['--method', 'gi*', '--out', out, ...common]);
    expect(s.method).toBe('gi*');
    const fc = JSON.parse(readFileSync(out, 'utf8'));
    expect(fc.features.length).toBe((s.units as { n: number }).n);
    const hottest = fc.features.reduce((a: any, b: any) => ((b.properties.gi_z ?? -Infinity) > (a.properties.gi_z ?? -Infinity) ? b : a));
    expect(hottest.properties.gi_bin).toBeGreaterThanOrEqual(2);
  });

  it('moran writes local clusters and a global summary', async () => {
    const out = join(dir, 'moran.geojson');
    const s = await run(['--method', 'moran', '--permutations', '99', '--out', out, ...common]);
    expect(s.method).toBe('moran-local');
    expect((s.global as { I: number }).I).toBeGreaterThan(0);
    const fc = JSON.parse(readFileSync(out, 'utf8'));
    expect(fc.features.some((f: any) => f.properties.lisa_cluster === 'HH')).toBe(true);
  });

  it('emerging finds a new hot spot in the final week for THEFT+BATTERY', async () => {
    const out = join(dir, 'em.geojson');
    const s = await run(['--method', 'emerging', '--period', 'week', '--time-window', '0', '--out', out, ...common]);
    expect(s.periods).toBe(8);
    expect((s.patterns as Record<string, number>)['new hot spot']).toBeGreaterThan(0);
  });

  it('gi* on a user region graph: a far cell linked to the hot corner becomes hot; --adjacency needs contiguity weights', async () => {
    const props = (file: string) => JSON.parse(readFileSync(file, 'utf8')).features.map((f: any) => f.properties);
    await run(['--method', 'gi*', '--out', join(dir, 'g0.geojson'), ...common]);
    const g0 = props(join(dir, 'g0.geojson'));
    const hot = g0.filter((p: any) => p.gi_bin > 0).map((p: any) => p.region);
    expect(hot.length).toBe(4);
    expect(g0.find((p: any) => p.region === 'r0c0').gi_bin).toBe(0);
    writeFileSync(join(dir, 'graph.csv'), ['a,b', ...hot.map((h: string) => `r0c0,${h}`)].join('\n'));
    await run(['--method', 'gi*', '--adjacency', join(dir, 'graph.csv'), '--out', join(dir, 'g1.geojson'), ...common]);
    expect(props(join(dir, 'g1.geojson')).find((p: any) => p.region === 'r0c0').gi_bin).toBeGreaterThan(0);
    await expect(run(['--method', 'gi*', '--weights', 'knn:4', '--adjacency', 'distance:1', '--out', join(dir, 'x.geojson'), ...common])).rejects.toThrow(/--weights knn:4 does not use it/);
  });

  it('rejects an unknown method', async () => {
    await expect(run(['--method', 'kde', '--out', join(dir, 'x.geojson'), ...common])).rejects.toThrow(/unknown method/);
  });
});
