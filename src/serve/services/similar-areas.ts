/**
 * "Which areas behave like this one": the trend-similarity search of `crimecast trend --similar-to` on the observed
 * counts a publication keeps (its last HISTORY_PERIODS periods, all categories), so it needs no reload of the data.
 * Viewers get the areas and distances only; totals and series are for analysts (they are incident aggregates).
 */
import { PERIODS_PER_YEAR, SEASONAL_CYCLE, similarUnits, type SimilarityMethod } from '../../stats/trend/similar.js';
import { isoLocal } from '../../time/bins.js';
import { HttpError } from '../http-error.js';
import type { Publication } from './forecasts.js';

const MIN_PERIODS = 8;

export function similarAreas(p: Publication, region: string, method: SimilarityMethod, top: number, analyst: boolean) {
  const R = p.regionIds.length, n = p.history.start.length;
  const target = p.regionIds.indexOf(region);
  if (target < 0) throw new HttpError(404, `no region "${region}" in forecast ${p.id}`, 'use an id from the forecast GeoJSON (feature id)');
  if (n < MIN_PERIODS) {
    throw new HttpError(422, `forecast ${p.id} keeps ${n} periods of observed counts: similarity needs at least ${MIN_PERIODS}`,
      p.summary.differentialPrivacy ? 'it was published under differential privacy, which withholds the observed counts' : 'publish from a dataset with a longer history');
  }
  const unit = p.request.period as keyof typeof PERIODS_PER_YEAR;
  // history.counts is period-major (periods × R); the search wants one row per area
  const values = new Float64Array(R * n);
  for (let t = 0; t < n; t++) for (let r = 0; r < R; r++) values[r * n + t] = p.history.counts[t * R + r];
  let res;
  try {
    res = similarUnits(values, R, n, target, { method, top, cycle: SEASONAL_CYCLE[unit], periodsPerYear: PERIODS_PER_YEAR[unit] });
  } catch (err) {
    throw new HttpError(422, `area ${region}: ${(err as Error).message}`);
  }
  const total = (r: number) => values.subarray(r * n, (r + 1) * n).reduce((a, b) => a + b, 0);
  return {
    forecast: p.id, region, method, unit, periods: n,
    first: isoLocal(p.history.start[0], p.tz), last: isoLocal(p.history.start[n - 1], p.tz),
    how: method === 'dtw'
      ? `dynamic time warping between z-normalised series (shape, not level), shifts of up to ${res.window} ${unit}s allowed`
      : `Mahalanobis distance between descriptors (${res.descriptors!.join(', ')}), whitened by their covariance over ${R - res.constant.length} areas`,
    leftOut: { constantSeries: res.constant.length, note: res.constant.length ? `${res.constant.length} of ${R} areas have a constant series (usually no incidents) and were not compared` : null },
    similar: res.similar.map((s, k) => ({
      rank: k + 1, region: p.regionIds[s.index], distance: s.distance, correlation: Number.isFinite(s.correlation) ? s.correlation : null,
      ...(analyst ? { total: total(s.index) } : {}),
    })),
    ...(analyst ? { targetTotal: total(target) } : {}),
  };
}
