/** `crimecast simulate-feedback` and `crimecast audit` end to end, in-process. */
import { describe, it, expect, afterAll, vi } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { register as registerSim } from '../../src/cli/commands/simulate-feedback.js';
import { register as registerAudit } from '../../src/cli/commands/audit.js';
import { Rng } from '../../src/util/rng.js';

const dir = mkdtempSync(join(tmpdir(), 'cc-resp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(register: (p: Command) => void, args: string[]): Promise<Record<string, any>> {
  const program = new Command().exitOverride();
  register(program);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { out += String(chunk); return true; });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try { await program.parseAsync(['node', 'crimecast', ...args]); } finally { spy.mockRestore(); err.mockRestore(); }
  return JSON.parse(out) as Record<string, any>;
}

describe('crimecast simulate-feedback', () => {
  it('urn: the naive urn runs away, IPW stays at the truth; writes an HTML report', async () => {
    const report = join(dir, 'urn.html');
    const r = await run(registerSim, ['simulate-feedback', '--model', 'urn', '--rounds', '5000', '--replicates', '20', '--correction', 'none,ipw', '--seed', '3', '--report', report, '--json']);
    expect(r.replicates).toHaveLength(2);
    const [none, ipw] = r.replicates;
    expect(none.meanFinalShares[0]).toBeGreaterThan(0.85); // truth 0.667
    expect(Math.abs(ipw.meanFinalShares[0] - 2 / 3)).toBeLessThan(0.04);
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('Pólya-urn');
    expect(html).toContain('<svg');
  });

  it('spatial (synthetic regions): naive belief divergence grows, IPW and exploration do not', async () => {
    const r = await run(registerSim, ['simulate-feedback', '--model', 'spatial', '--regions', '100', '--k', '10', '--rounds', '60', '--reported-share', '0.3', '--seed', '2', '--json']);
    const by = Object.fromEntries(r.runs.map((x: any) => [x.correction, x]));
    const end = (x: any) => x.beliefDivergence[x.beliefDivergence.length - 1];
    expect(end(by.none)).toBeGreaterThan(2.5 * by.none.beliefDivergence[0]);
    expect(end(by.ipw)).toBeLessThan(0.5 * end(by.none));
    expect(end(by.explore)).toBeLessThan(0.5 * end(by.none));
  });

  it('rejects unknown models and corrections', async () => {
    await expect(run(registerSim, ['simulate-feedback', '--model', 'foo', '--json'])).rejects.toThrow(/unknown --model/);
    await expect(run(registerSim, ['simulate-feedback', '--model', 'urn', '--correction', 'magic', '--json'])).rejects.toThrow(/unknown correction/);
  });
});

// four 0.02° squares side by side along longitude near Chicago; ids "1".."4"
const squares = [0, 1, 2, 3].map((i) => {
  const x0 = -87.7 + 0.02 * i, y0 = 41.8;
  return { type: 'Feature', properties: { area_numbe: String(i + 1) }, geometry: { type: 'Polygon', coordinates: [[[x0, y0], [x0 + 0.02, y0], [x0 + 0.02, y0 + 0.02], [x0, y0 + 0.02], [x0, y0]]] } };
});
const polygons = join(dir, 'areas.geojson');
writeFileSync(polygons, JSON.stringify({ type: 'FeatureCollection', features: squares }));
// group X lives in areas 1–2, group Y in 3–4
const demo = join(dir, 'demo.csv');
writeFileSync(demo, 'GEOGKEYX,TOT,X,Y,HARDSHIP\n1,1000,900,100,80\n2,1000,800,200,70\n3,1000,100,900,20\n4,1000,200,800,10\n');

describe('crimecast audit', () => {
  it('audits a predictions file with hand-checkable exposure shares', async () => {
    const file = join(dir, 'pred.json');
    // areas 1 and 2 always ranked highest; coverage 25% flags area 1 only
    writeFileSync(file, JSON.stringify({
      regionIds: ['1', '2', '3', '4'], area: [1, 1, 1, 1],
      predictions: [[4, 3, 2, 1], [4, 3, 2, 1], [4, 3, 2, 1]],
      observed: [[1, 1, 1, 1], [2, 0, 1, 1], [1, 1, 0, 2]],
    }));
    const out = join(dir, 'audit.json'), report = join(dir, 'audit.html');
    const r = await run(registerAudit, ['audit', '--predictions', file, '--demographics', demo, '--group-columns', 'X=Group X,Y=Group Y',
      '--population-column', 'TOT', '--band-by', 'HARDSHIP', '--bands', '2', '--coverage', '25%', '--bootstrap', '200', '--out', out, '--report', report, '--json']);
    const g = Object.fromEntries(r.audit.groups.map((x: any) => [x.name, x]));
    expect(g['Group X'].populationShare).toBeCloseTo(0.5, 12);
    // area 1 is 90% X: X gets 0.9 of the flagged area; 900 of 2000 X residents live there
    expect(g['Group X'].flagShare.estimate).toBeCloseTo(0.9, 12);
    expect(g['Group X'].representationRatio.estimate).toBeCloseTo(1.8, 12);
    expect(g['Group X'].exposure.estimate).toBeCloseTo(0.45, 12);
    expect(g['Group Y'].exposure.estimate).toBeCloseTo(0.05, 12);
    // hardship bands: low band = areas 3, 4; high band = areas 1, 2
    expect(g['HARDSHIP Q2/2'].flagShare.estimate).toBeCloseTo(1, 12);
    expect(existsSync(out)).toBe(true);
    expect(readFileSync(report, 'utf8')).toContain('Fairness audit');
  });

  it('backtests a model on incidents and writes a model card', async () => {
    // 40 days; area 1 gets ~4 thefts a day, area 3 ~1, others ~0.5; a few NARCOTICS to trigger the source warning
    const rng = new Rng(8), lines: string[] = [];
    const centre = (i: number) => [41.81, -87.69 + 0.02 * i];
    const rate = [4, 0.5, 1, 0.5];
    for (let d = 0; d < 40; d++) for (let i = 0; i < 4; i++) {
      const n = rng.poisson(rate[i]);
      for (let k = 0; k < n; k++) {
        const [lat, lon] = centre(i);
        const day = new Date(Date.UTC(2017, 2, 1 + d));
        const mm = String(day.getUTCMonth() + 1).padStart(2, '0'), dd = String(day.getUTCDate()).padStart(2, '0');
        lines.push(`${mm}/${dd}/2017 12:${String(10 + k).padStart(2, '0')}:00 PM,${k === 3 ? 'NARCOTICS' : 'THEFT'},${lat + 0.001 * rng.random()},${lon + 0.001 * rng.random()}`);
      }
    }
    const csv = join(dir, 'inc.csv');
    writeFileSync(csv, lines.join('\n') + '\n');
    const card = join(dir, 'card.md');
    const r = await run(registerAudit, ['audit', '--model', 'moving-average:window=7', '--input', csv, '--preset', 'stshn-chicago',
      '--units', `polygons:${polygons},id=area_numbe`, '--test-from', '2017-03-26', '--demographics', demo, '--group-columns', 'X,Y',
      '--population-column', 'TOT', '--coverage', '25%', '--bootstrap', '200', '--model-card', card, '--json']);
    expect(r.test.periods).toBe(15);
    expect(r.warnings.join(' ')).toMatch(/NARCOTICS/);
    const g = Object.fromEntries(r.audit.groups.map((x: any) => [x.name, x]));
    // area 1 (90% X) is the busiest and flagged every day: X's exposure 900/2000, Y's 100/2000
    expect(g.X.exposure.estimate).toBeCloseTo(0.45, 12);
    expect(g.Y.exposure.estimate).toBeCloseTo(0.05, 12);
    const md = readFileSync(card, 'utf8');
    expect(md).toContain('# Model card: moving-average');
    expect(md).toContain('NARCOTICS (police-initiated)');
    expect(md).toMatch(/Trained on police-initiated categories \(NARCOTICS\)/);
    const json = JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8'));
    expect(json.fairness.length).toBe(8);

    const vr = await run(registerAudit, ['audit', '--model', 'moving-average:window=7', '--input', csv, '--preset', 'stshn-chicago',
      '--units', `polygons:${polygons},id=area_numbe`, '--test-from', '2017-03-26', '--demographics', demo, '--group-columns', 'X,Y',
      '--victim-reported-only', '--bootstrap', '50', '--json']);
    expect(vr.categories).toEqual(['THEFT']);
    expect(vr.droppedCategories).toEqual(['NARCOTICS (police-initiated)']);
    expect(vr.warnings).toEqual([]);
  });
});
