/**
 * Hot-spot metrics as protocol fields: hit rate, PAI and PEI at given area coverages, for all categories summed
 * and per category, and the oracle's PAI (the test counts as the forecast) at the same area. The risk ranking is
 * the forecast mean; sums come from metrics/hotspot.ts.
 */
import { categoryColumn, hotspotPeriod, sumCategories } from '../metrics/hotspot.js';
import { ownCoveragePeriod, tiedHotspotPeriod } from '../external/box-hotspot.js';
import type { ExternalKind } from '../external/types.js';
import type { FieldLayout } from './field-layout.js';
import type { MetricDef } from './types.js';

export interface HotspotFields {
  metrics: MetricDef[];
  /**
   * Writes one period's fields (risk and observed: regions × categories). `kind` 'boxes' / 'ranking' (external
   * files): tied scores are split in expectation and the file's own flagged set fills the "@own" fields.
   */
  fill(row: Float64Array, risk: ArrayLike<number>, observed: ArrayLike<number>, kind?: ExternalKind): void;
}

const pct = (c: number) => `${+(c * 100).toFixed(3)}%`;

/**
 * `groups`: label → category indices summed (e.g. { all: [0,1,2,3], THEFT: [0] }). `area`: per region (equal when
 * absent). `labels`: how each coverage is named in metric names (default its percentage, e.g. "1%").
 */
export function hotspotFields(
  layout: FieldLayout, categories: number, groups: Record<string, number[]>, coverages: number[], area?: ArrayLike<number>,
  labels: string[] = coverages.map(pct), prefix = '',
  /** own: add "@own" fields (the coverage a box or ranking file flags itself). */
  extra: { own?: boolean } = {},
): HotspotFields {
  const periods = layout.add(`${prefix}hotspot/periods`);
  const metrics: MetricDef[] = [];
  const slots = Object.entries(groups).map(([label, cats]) => {
    const cols = coverages.map((_, j) => {
      const cl = labels[j];
      const f = ['captured', 'total', 'areaShare', 'nStar'].map((k) => layout.add(`${prefix}hotspot/${label}/${cl}/${k}`));
      const [n, N, a, nStar] = f;
      metrics.push(
        { name: `${prefix}hitRate@${cl}/${label}`, better: 'higher', stat: (t) => (t[N] > 0 ? t[n] / t[N] : NaN) },
        { name: `${prefix}PAI@${cl}/${label}`, better: 'higher', stat: (t) => (t[N] > 0 && t[a] > 0 ? (t[n] / t[N]) / (t[a] / t[periods]) : NaN) },
        { name: `${prefix}PEI@${cl}/${label}`, better: 'higher', stat: (t) => (t[nStar] > 0 ? t[n] / t[nStar] : NaN) },
        // the oracle: the PAI of the best set of the same area (the test counts themselves), so PAI / oraclePAI = PEI
        { name: `${prefix}oraclePAI@${cl}/${label}`, better: 'higher', stat: (t) => (t[N] > 0 && t[a] > 0 ? (t[nStar] / t[N]) / (t[a] / t[periods]) : NaN) },
      );
      return f;
    });
    let own: number[] | undefined;
    if (extra.own) {
      own = ['captured', 'total', 'areaShare', 'nStar'].map((k) => layout.add(`${prefix}hotspot/${label}/own/${k}`));
      const [n, N, a, nStar] = own;
      metrics.push(
        { name: `${prefix}hitRate@own/${label}`, better: 'higher', stat: (t) => (t[N] > 0 ? t[n] / t[N] : NaN) },
        { name: `${prefix}PAI@own/${label}`, better: 'higher', stat: (t) => (t[N] > 0 && t[a] > 0 ? (t[n] / t[N]) / (t[a] / t[periods]) : NaN) },
        { name: `${prefix}PEI@own/${label}`, better: 'higher', stat: (t) => (t[nStar] > 0 ? t[n] / t[nStar] : NaN) },
      );
    }
    return { cats, cols, own };
  });
  const R = (len: number) => len / categories;
  return {
    metrics,
    fill(row, risk, observed, kind) {
      row[periods] = 1;
      const regions = R(risk.length);
      const rk = new Float64Array(regions), ob = new Float64Array(regions), tmp = new Float64Array(regions);
      for (const { cats, cols, own } of slots) {
        if (cats.length === categories) { sumCategories(risk, categories, rk); sumCategories(observed, categories, ob); }
        else {
          rk.fill(0); ob.fill(0);
          for (const c of cats) {
            categoryColumn(risk, categories, c, tmp); for (let r = 0; r < regions; r++) rk[r] += tmp[r];
            categoryColumn(observed, categories, c, tmp); for (let r = 0; r < regions; r++) ob[r] += tmp[r];
          }
        }
        if (kind === 'boxes' || kind === 'ranking') {
          // a unit's box share over several categories is its largest share (boxes for all categories repeat it)
          if (kind === 'boxes' && cats.length > 1) {
            rk.fill(0);
            for (const c of cats) { categoryColumn(risk, categories, c, tmp); for (let r = 0; r < regions; r++) rk[r] = Math.max(rk[r], tmp[r]); }
          }
          const s = tiedHotspotPeriod(rk, ob, coverages, area);
          cols.forEach((f, j) => { row[f[0]] = s[j].captured; row[f[1]] = s[j].total; row[f[2]] = s[j].areaShare; row[f[3]] = s[j].nStar; });
          if (own) { const o = ownCoveragePeriod(kind, rk, ob, area); row[own[0]] = o.captured; row[own[1]] = o.total; row[own[2]] = o.areaShare; row[own[3]] = o.nStar; }
          continue;
        }
        const s = hotspotPeriod(rk, ob, coverages, area);
        cols.forEach((f, j) => { row[f[0]] = s.captured[j]; row[f[1]] = s.total[j]; row[f[2]] = s.areaShare[j]; row[f[3]] = s.nStar[j]; });
      }
    },
  };
}
