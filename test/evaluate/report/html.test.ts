import { describe, it, expect } from 'vitest';
import { renderHtmlReport, winnerOf } from '../../../src/evaluate/report/html.js';
import type { ReportTable } from '../../../src/evaluate/report/types.js';

const table: ReportTable = {
  metric: 'MAE',
  better: 'lower',
  rows: [
    { model: 'moving-average', value: 1.2, lo: 1.1, hi: 1.3 },
    { model: 'persistence', value: 1.5, lo: 1.4, hi: 1.6, vsRef: { reference: 'moving-average', diff: 0.3, lo: 0.2, hi: 0.4, p: 0.001 } },
  ],
};

describe('HTML report', () => {
  it('picks the winner by the metric direction', () => {
    expect(winnerOf(table)).toBe(0);
    expect(winnerOf({ ...table, better: 'higher' })).toBe(1);
    expect(winnerOf({ ...table, rows: [{ model: 'x', value: NaN }, ...table.rows] })).toBe(1);
  });
  it('renders a self-contained page with tables, charts and maps, escaping text', () => {
    const html = renderHtmlReport({
      title: 'Leaderboard <test>',
      generatedAt: '2026-01-01',
      sections: [{
        heading: 'Counts',
        tables: [table],
        charts: [{ title: 'Hit rate', xLabel: 'coverage', yLabel: 'hit rate', logX: true, series: [{ name: 'a', x: [0.01, 0.1, 1], y: [0.1, 0.4, 1] }] }],
        maps: [{ title: 'Risk', valueLabel: 'expected', features: [{ id: 'r0c0', value: 2, flagged: true, geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] } }] }],
      }],
    });
    expect(html).toContain('Leaderboard &lt;test&gt;');
    expect(html).toContain('moving-average ★');
    expect(html.match(/<svg/g)?.length).toBe(2);
    expect(html).toContain('<polyline');
    expect(html).toContain('(flagged)');
    // offline: no external resources
    expect(html).not.toMatch(/(src|href)="https?:/);
  });
});
