import { Command } from 'commander';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { register as registerCluster } from '../../../src/cli/commands/cluster.js';
import { register as registerNearRepeat } from '../../../src/cli/commands/nearrepeat.js';
import { localProjection } from '../../../src/space/projection.js';
import { Rng } from '../../../src/util/rng.js';

/** A headerless ST-SHN-style CSV: background burglaries plus injected near-repeats and a dense block of thefts. */
function writeFixture(): string {
  const rng = new Rng(9), proj = localProjection(41.85, -87.65);
  const rows: string[] = [];
  const fmt = (ms: number) => {
    const d = new Date(ms);
    const h = d.getUTCHours(), h12 = h % 12 === 0 ? 12 : h % 12;
    const p2 = (v: number) => String(v).padStart(2, '0');
    return `${p2(d.getUTCMonth() + 1)}/${p2(d.getUTCDate())}/${d.getUTCFullYear()} ${p2(h12)}:${p2(d.getUTCMinutes())}:00 ${h < 12 ? 'AM' : 'PM'}`;
  };
  const add = (x: number, y: number, t: number, type: string) => {
    const [lat, lon] = proj.inversePoint(x, y);
    rows.push(`${fmt(t)},${type},${lat.toFixed(7)},${lon.toFixed(7)}`);
  };
  const t0 = Date.UTC(2017, 0, 10);
  for (let i = 0; i < 400; i++) {
    const x = rng.random() * 3000, y = rng.random() * 3000, t = t0 + rng.random() * 300 * 86_400_000;
    add(x, y, t, 'BURGLARY');
    if (i % 4 === 0) add(x + rng.normal(0, 20), y + rng.normal(0, 20), t + rng.random() * 4 * 86_400_000, 'BURGLARY');
  }
  for (let i = 0; i < 60; i++) add(rng.normal(1500, 25), rng.normal(1500, 25), t0 + i * 86_400_000, 'THEFT');
  const dir = mkdtempSync(join(tmpdir(), 'crimecast-nr-'));
  writeFileSync(join(dir, 'crimes.csv'), rows.join('\n') + '\n');
  return dir;
}

async function run(register: (p: Command) => void, args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  register(program);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => { out += String(s); return true; });
  try {
    await program.parseAsync(args, { from: 'user' });
  } finally {
    spy.mockRestore();
  }
  return out;
}

describe('CLI: nearrepeat and cluster', () => {
  const dir = writeFixture();
  const input = ['--input', join(dir, 'crimes.csv'), '--preset', 'stshn-chicago'];

  it('nearrepeat --json reports a significant close-close cell for the burglaries', async () => {
    const out = await run(registerNearRepeat, ['nearrepeat', ...input, '--category', 'BURGLARY', '--distance-bands', '0,100,200', '--time-bands', '0,7,14', '--permutations', '49', '--json']);
    const res = JSON.parse(out);
    expect(res.n).toBe(500);
    expect(res.distanceLabels).toEqual(['0-100m', '100-200m', '>=200m']);
    expect(res.pValue[0][0]).toBeLessThanOrEqual(0.02);
    expect(res.ratio[0][0]).toBeGreaterThan(2);
  });

  it('cluster --method dbscan writes the theft hot spot as a GeoJSON hull', async () => {
    const out = join(dir, 'clusters.geojson');
    const res = JSON.parse(await run(registerCluster, ['cluster', '--method', 'dbscan', '--eps', '40', '--min-pts', '8', ...input, '--category', 'THEFT', '--out', out, '--json']));
    expect(res.clusters).toBe(1);
    expect(res.summaries[0].size).toBeGreaterThanOrEqual(55);
    const fc = JSON.parse(readFileSync(out, 'utf8'));
    expect(fc.features).toHaveLength(1);
    expect(fc.features[0].geometry.type).toBe('Polygon');
    expect(fc.features[0].properties.method).toBe('dbscan');
  });

  it('rejects an unknown method with a user error', async () => {
    await expect(run(registerCluster, ['cluster', '--method', 'optics', ...input, '--out', join(dir, 'x.geojson')])).rejects.toThrow(/unknown clustering method/);
  });
});
