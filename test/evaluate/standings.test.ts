import { describe, expect, it } from 'vitest';
import { readStandings, standingLine } from '../../src/evaluate/standings.js';

describe('measured standings (data/model-standings.json, written by bench/standings.mjs)', () => {
  const s = readStandings();
  it('exist for the shipped benchmark and come from a backtest command', () => {
    expect(s).not.toBeNull();
    expect(s!.command).toMatch(/^crimecast backtest --protocol st-hsl /);
    expect(s!.reference).toBe('historical-average');
  });
  it('say better, worse or tie consistently with the values and mark the mixtures', () => {
    for (const [name, m] of Object.entries(s!.models)) {
      for (const x of Object.values(m.metrics)) {
        expect(x.relative).toBeCloseTo(x.value / x.reference - 1, 9);
        expect(['better', 'worse', 'tie']).toContain(x.verdict);
      }
      if (name === 'naive-bayes') expect(m.metrics['MAE/all'].verdict).toBe('worse');
    }
    expect(standingLine(s!, 'ets')).toMatch(/⚠ fallback on 9\d% .*INGARCH count model instead of ets/);
    expect(standingLine(s!, 'historical-average')).toBe('st-hsl: the reference (long-run baseline)');
    expect(standingLine(s!, 'no-such-model')).toBe('st-hsl: not measured');
  });
});
