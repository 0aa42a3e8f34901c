/** Model cards: defaults, limitations from source tags, audit and metrics with CIs, Markdown and schema. */
import { describe, it, expect } from 'vitest';
import { buildModelCard, DEFAULT_OUT_OF_SCOPE } from '../../src/responsible/model-card/build.js';
import { modelCardJsonSchema, parseModelCard } from '../../src/responsible/model-card/schema.js';
import { modelCardMarkdown, modelCardSection } from '../../src/responsible/model-card/render.js';
import { auditForecasts } from '../../src/responsible/audit/audit.js';

const input = {
  spec: 'moving-average:window=30', name: 'moving-average', params: { window: 30 }, family: 'baseline',
  sources: ['Chicago Data Portal crimes 2016–2017'], trainingWindow: { from: '2016-01-01', to: '2017-08-31' }, periodUnit: 'day',
  categories: ['THEFT', 'NARCOTICS', 'ODDITY'], spatialUnit: { kind: 'polygons', spec: 'polygons:ca.geojson,id=area_numbe', regions: 77 },
  metrics: { 'hit rate @ 10%': { estimate: 0.31, lo: 0.29, hi: 0.33, B: 1000 }, MAE: 1.25 },
  protocol: 'rolling origin', created: '2026-01-01T00:00:00.000Z',
};

describe('model cards', () => {
  it('fills defaults, derives limitations from source tags and validates against its schema', () => {
    const card = buildModelCard(input);
    expect(parseModelCard(JSON.parse(JSON.stringify(card)))).toEqual(card);
    expect(card.outOfScope).toEqual(DEFAULT_OUT_OF_SCOPE);
    expect(card.outOfScope.join(' ')).toMatch(/individuals/);
    expect(card.data.categorySources).toEqual({ THEFT: 'victim-reported', NARCOTICS: 'police-initiated', ODDITY: 'unknown' });
    expect(card.limitations.some((l) => l.includes('police-initiated categories (NARCOTICS)'))).toBe(true);
    expect(card.limitations.some((l) => l.includes('ODDITY'))).toBe(true);
    expect(card.limitations.some((l) => l.includes('No fairness audit'))).toBe(true);
    expect(card.evaluation).toEqual([
      { metric: 'hit rate @ 10%', value: { estimate: 0.31, lo: 0.29, hi: 0.33 }, protocol: 'rolling origin' },
      { metric: 'MAE', value: { estimate: 1.25, lo: null, hi: null }, protocol: 'rolling origin' },
    ]);
    expect(() => parseModelCard({ ...card, schemaVersion: 2 })).toThrow();
    const schema = modelCardJsonSchema() as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toContain('limitations');
  });

  it('carries audit results and renders Markdown and a report section', () => {
    const audit = auditForecasts({
      predictions: [2, 1, 2, 1], observed: [1, 1, 2, 0], regions: 2, area: [1, 1],
      groups: [{ name: 'A', weight: [10, 0] }, { name: 'B', weight: [0, 10] }], coverage: 0.5, bootstrap: { B: 50 },
    });
    const card = buildModelCard({ ...input, audit });
    expect(card.fairness).toHaveLength(8);
    const a = card.fairness.find((f) => f.group === 'A' && f.metric.startsWith('exposure'))!;
    expect(a.value.estimate).toBeCloseTo(2, 12); // A's residents always flagged (1) vs everyone (½)
    const md = modelCardMarkdown(card);
    expect(md).toContain('| hit rate @ 10% | 0.3100 [0.2900, 0.3300] | rolling origin |');
    expect(md).toContain('## Out of scope');
    expect(md).toContain('THEFT (victim-reported)');
    const s = modelCardSection(card);
    expect(s.facts!.find(([k]) => k === 'training window')![1]).toBe('2016-01-01 – 2017-08-31 (day)');
  });
});
