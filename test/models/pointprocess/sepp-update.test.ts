// The continuous SEPP advances its excitation per period instead of redrawing it: the advanced forecasts must equal
// a redraw from the same history, day after day, and a history that does not extend the one seen must be redrawn.
import { describe, expect, it } from 'vitest';
import { incidentTableFromColumns, takeIncidents } from '../../../src/data/incident-table.js';
import type { History } from '../../../src/models/forecaster.js';
import { createForecaster } from '../../../src/models/registry.js';
import type { SeppForecaster } from '../../../src/models/pointprocess/sepp.js';
import '../../../src/models/pointprocess/sepp.js';
import { simulateSepp } from '../../../src/models/pointprocess/simulate-sepp.js';
import { buildGrid } from '../../../src/space/grid.js';
import { localProjection } from '../../../src/space/projection.js';
import { createTensor, slicePeriods } from '../../../src/tensor/count-tensor.js';

const DAY = 86_400_000, T0 = Date.UTC(2021, 0, 1), DAYS = 140, CUT = 120;

function world() {
  const sim = simulateSepp({
    rate: 4, background: { kind: 'mixture', x: [-1500, 1500], y: [-1000, 1200], sd: [900, 700], weight: [1, 1] },
    theta: 0.4, omega: 0.3, sigma: 80, T: DAYS, seed: 9,
  });
  const proj = localProjection(41.85, -87.65);
  const { lat, lon } = proj.inverse(sim.x, sim.y);
  const n = sim.t.length;
  const incidents = incidentTableFromColumns({
    t: Float64Array.from(sim.t, (d) => T0 + d * DAY), lat, lon,
    category: Array.from({ length: n }, (_, i) => (i % 3 ? 'a' : 'b')), categories: ['a', 'b'],
  });
  const units = buildGrid({ cell: 500, points: incidents, mask: 'incidents' });
  const region = units.assign(lat, lon);
  const R = units.n, data = new Float32Array(DAYS * R * 2);
  for (let i = 0; i < n; i++) if (region[i] >= 0) data[(Math.floor(sim.t[i]) * R + region[i]) * 2 + incidents.cat[i]]++;
  const tensor = createTensor({
    periods: DAYS, regions: R, categories: 2, categoryNames: ['a', 'b'], regionIds: units.ids,
    periodStart: Float64Array.from({ length: DAYS }, (_, p) => T0 + p * DAY), unit: 'day', tz: 'UTC',
  }, data);
  const upTo = (days: number): History => {
    const keep = Int32Array.from({ length: n }, (_, i) => i).filter((i) => sim.t[i] < days);
    return {
      tensor: slicePeriods(tensor, 0, days), incidents: takeIncidents(incidents, keep), units,
      incidentRegion: Int32Array.from(keep, (i) => region[i]), incidentCategory: Int32Array.from(keep, (i) => incidents.cat[i]),
    };
  };
  return { upTo };
}

const maxRel = (a: Float32Array, b: Float32Array) => {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), 1e-12));
  return worst;
};

describe('sepp excitation state', () => {
  const { upTo } = world();
  for (const mode of ['separate', 'pooled']) {
    it(`advanced day by day equals a redraw from each day's history (${mode})`, () => {
      const m = createForecaster(`sepp:window=0,categories=${mode},iterations=30,bgBandwidth=400,maxDt=30,maxDist=500`) as SeppForecaster;
      m.fit(upTo(CUT), { seed: 2 });
      m.predict(upTo(CUT), 1);
      for (let d = CUT + 1; d <= CUT + 8; d++) {
        const h = upTo(d);
        m.update(h);
        const advanced = m.predict(h, 3).mean;
        const state = m as unknown as { excitation: unknown };
        const kept = state.excitation;
        state.excitation = null; // forget: the next predict redraws from the history
        const redrawn = m.predict(h, 3).mean;
        state.excitation = kept;
        expect(maxRel(advanced, redrawn)).toBeLessThan(1e-9);
      }
      const s = m.fitted();
      expect(s.betweenRefits).toBe('updated');
    });
  }

  it('redraws when the history is shorter or an old incident changed, and stays correct', () => {
    const m = createForecaster('sepp:window=0,iterations=30,bgBandwidth=400,maxDt=30,maxDist=500') as SeppForecaster;
    m.fit(upTo(CUT), { seed: 2 });
    const h = upTo(CUT + 3);
    const first = m.predict(h, 1).mean;
    // the same end, one earlier incident moved by 2 km: must not reuse the state
    const moved: History = { ...h, incidents: { ...h.incidents!, lat: Float64Array.from(h.incidents!.lat) } };
    const last = moved.incidents!.n - 1;
    moved.incidents!.lat[last] += 0.02;
    const a = m.predict(moved, 1).mean;
    const state = m as unknown as { excitation: { redraws: number } | null };
    expect(state.excitation!.redraws).toBe(2);
    state.excitation = null;
    const b = m.predict(moved, 1).mean;
    expect(maxRel(a, b)).toBeLessThan(1e-12);
    expect(maxRel(a, first)).toBeGreaterThan(1e-6);
    // a shorter history after a longer one: redrawn too
    const back = m.predict(upTo(CUT + 1), 1).mean;
    state.excitation = null;
    expect(maxRel(back, m.predict(upTo(CUT + 1), 1).mean)).toBeLessThan(1e-12);
  });
});
