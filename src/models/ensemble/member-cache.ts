/**
 * Fitted members, their validation forecasts and their forecasts, shared between ensembles in one process. ensemble-mean,
 * stacking and select-best over the same members fit exactly the same models on exactly the same histories;
 * backtesting them side by side (a leaderboard) would otherwise pay every member fit three times.
 *
 * Keys are content-based — member spec, seed, history shape, a hash of the count data, the incident count — so a
 * hit is only possible for an identical fit problem (forecasters are deterministic under their seed). The cache is
 * bounded (least recently used entries go first).
 */
import type { Forecast, Forecaster, History } from '../forecaster.js';

const MAX_FITTED = 48;
/** Numbers kept in validation forecasts and forecasts together (8 bytes each at most: ≤ 512 MB). */
const MAX_NUMBERS = 1 << 26;

export interface MemberValidation { mean: Float64Array; logp: Float64Array }

/** Least-recently-used map bounded by a total size (entry count by default). */
class Lru<V> {
  private readonly map = new Map<string, { v: V; size: number }>();
  private total = 0;
  constructor(private readonly max: number, private readonly sizeOf: (v: V) => number = () => 1) {}
  get(k: string): V | undefined {
    const e = this.map.get(k);
    if (e) { this.map.delete(k); this.map.set(k, e); }
    return e?.v;
  }
  set(k: string, v: V): void {
    const old = this.map.get(k);
    if (old) { this.total -= old.size; this.map.delete(k); }
    const size = this.sizeOf(v);
    this.map.set(k, { v, size });
    this.total += size;
    while (this.total > this.max && this.map.size > 1) {
      const first = this.map.keys().next().value as string;
      this.total -= this.map.get(first)!.size;
      this.map.delete(first);
    }
  }
  clear(): void { this.map.clear(); this.total = 0; }
}

const forecastSize = (f: Forecast) => {
  const d = f.dist;
  return f.mean.length + (d.family === 'negbin' || d.family === 'zinb' ? d.size.length : 0) +
    (d.family === 'zip' || d.family === 'zinb' ? d.pi.length : 0) + (d.family === 'samples' ? d.samples.length : 0);
};
const fitted = new Lru<Forecaster>(MAX_FITTED);
// a leaderboard walks every test period with each ensemble in turn: the cache must hold a whole backtest's
// member forecasts, or an LRU walked in the same order would miss every time
const validation = new Lru<MemberValidation>(MAX_NUMBERS / 2, (v) => v.mean.length + v.logp.length);
// some members' predict is the expensive part (a filter re-run over the longer history): share forecasts too
const forecasts = new Lru<Forecast>(MAX_NUMBERS / 2, forecastSize);

const hashes = new WeakMap<Float32Array, string>();

/** Two 32-bit multiplicative hashes over the bits of the count data, memoised per array (members share a history;
 * a history is never written after it is handed out — the backtest reveals new periods in new views). */
function hashCounts(data: Float32Array): string {
  let h = hashes.get(data);
  if (h === undefined) { h = hashBits(data); hashes.set(data, h); }
  return h;
}

function hashBits(data: Float32Array): string {
  const words = new Uint32Array(data.buffer, data.byteOffset, data.length);
  let h1 = 0x811c9dc5, h2 = 0x01000193 ^ data.length;
  for (let i = 0; i < words.length; i++) {
    h1 = Math.imul(h1 ^ words[i], 0x01000193);
    h2 = Math.imul(h2 ^ words[i], 0x5bd1e995) ^ (h2 >>> 15);
  }
  return (h1 >>> 0).toString(36) + (h2 >>> 0).toString(36);
}

export function historyKey(spec: string, seed: number | undefined, h: History): string {
  const t = h.tensor;
  const end = t.periods > 0 ? t.periodStart[t.periods - 1] : 0;
  return [spec, seed ?? '', t.periods, t.regions, t.categories, end, hashCounts(t.data), h.incidents?.n ?? -1, !!h.units, !!h.covariates, h.timeCovariates?.periods ?? -1].join('\u0000');
}

export const memberCache = {
  fitted: (key: string) => fitted.get(key),
  storeFitted: (key: string, m: Forecaster) => fitted.set(key, m),
  validation: (key: string) => validation.get(key),
  storeValidation: (key: string, v: MemberValidation) => validation.set(key, v),
  forecast: (key: string) => forecasts.get(key),
  storeForecast: (key: string, f: Forecast) => forecasts.set(key, f),
  clear: () => { fitted.clear(); validation.clear(); forecasts.clear(); },
};
