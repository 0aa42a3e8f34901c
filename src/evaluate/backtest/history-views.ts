/**
 * Histories for rolling origins. A prefix view (subarray) of the real tensor would still share its ArrayBuffer,
 * so a model could read the future through `data.buffer`. Instead the views are prefixes of engine-private
 * buffers into which periods (and incidents) are copied only once the origin has passed them: the future is
 * physically absent from memory the model can reach. Origins must not move backwards (the backtest walks forward).
 * Incidents are sorted by time once, so each origin costs a binary search plus copying the newly revealed rows.
 */
import type { IncidentTable } from '../../data/incident-table.js';
import { countBefore } from '../../util/sorted.js';
import { takeIncidents } from '../../data/incident-table.js';
import type { Covariates, History, TimeCovariates } from '../../models/forecaster.js';
import type { SpatialUnits } from '../../space/units.js';
import type { CountTensor } from '../../tensor/count-tensor.js';

/** Everything a backtest may show a model, before any cut-off is applied. */
export interface BacktestData {
  tensor: CountTensor;
  incidents?: IncidentTable;
  /** Region of each incident (aligned with `incidents`). */
  incidentRegion?: Int32Array;
  /** Tensor category of each incident (aligned with `incidents`). */
  incidentCategory?: Int32Array;
  units?: SpatialUnits;
  covariates?: Covariates;
  /** Time-varying covariates over the tensor's whole period axis (revealed to models period by period). */
  timeCovariates?: TimeCovariates;
}

interface SortedIncidents {
  src: IncidentTable;
  region?: Int32Array;
  category?: Int32Array;
  /** Revealed copies, filled up to `shown`. */
  t: Float64Array; lat: Float64Array; lon: Float64Array; cat: Uint16Array;
  regionShown?: Int32Array; categoryShown?: Int32Array;
  shown: number;
}

export class HistoryViews {
  private readonly revealed: Float32Array;
  private revealedPeriods = 0;
  private readonly inc?: SortedIncidents;
  private readonly tcRevealed?: Float64Array;

  constructor(private readonly data: BacktestData) {
    this.revealed = new Float32Array(data.tensor.data.length);
    if (data.timeCovariates) this.tcRevealed = new Float64Array(data.timeCovariates.values.length);
    const src0 = data.incidents;
    if (!src0) return;
    const order = new Uint32Array(src0.n);
    for (let i = 0; i < src0.n; i++) order[i] = i;
    const t = src0.t;
    order.sort((a, b) => t[a] - t[b] || a - b);
    const pick = (col?: Int32Array) => (col ? Int32Array.from(order, (i) => col[i]) : undefined);
    const n = src0.n;
    const region = pick(data.incidentRegion), category = pick(data.incidentCategory);
    this.inc = {
      src: takeIncidents(src0, order), region, category,
      t: new Float64Array(n), lat: new Float64Array(n), lon: new Float64Array(n), cat: new Uint16Array(n),
      regionShown: region && new Int32Array(n), categoryShown: category && new Int32Array(n), shown: 0,
    };
  }

  /** The history a forecast made at the start of period `t` may use: periods [0, t) and incidents before periodStart[t]. */
  at(t: number): History {
    const { tensor } = this.data;
    if (t < this.revealedPeriods) throw new RangeError(`history views only move forward (asked for ${t} after ${this.revealedPeriods})`);
    const stride = tensor.regions * tensor.categories;
    const tc = this.data.timeCovariates;
    let timeCovariates: TimeCovariates | undefined;
    if (tc && this.tcRevealed) {
      const w = (tc.perRegion ? tensor.regions : 1) * tc.names.length;
      const to = Math.min(t, tc.periods);
      const from = Math.min(this.revealedPeriods, to);
      this.tcRevealed.set(tc.values.subarray(from * w, to * w), from * w);
      timeCovariates = { ...tc, periods: to, values: this.tcRevealed.subarray(0, to * w) };
    }
    this.revealed.set(tensor.data.subarray(this.revealedPeriods * stride, t * stride), this.revealedPeriods * stride);
    this.revealedPeriods = t;
    const view: CountTensor = {
      ...tensor, periods: t, data: this.revealed.subarray(0, t * stride), periodStart: tensor.periodStart.slice(0, t),
    };
    const history: History = { tensor: view, units: this.data.units, covariates: this.data.covariates, timeCovariates };
    const inc = this.inc;
    if (inc) {
      const cutoff = t < tensor.periods ? tensor.periodStart[t] : Infinity;
      const k = countBefore(inc.src.t, cutoff);
      if (k > inc.shown) {
        const s = inc.shown;
        inc.t.set(inc.src.t.subarray(s, k), s); inc.lat.set(inc.src.lat.subarray(s, k), s);
        inc.lon.set(inc.src.lon.subarray(s, k), s); inc.cat.set(inc.src.cat.subarray(s, k), s);
        inc.regionShown?.set(inc.region!.subarray(s, k), s);
        inc.categoryShown?.set(inc.category!.subarray(s, k), s);
        inc.shown = k;
      }
      history.incidents = this.incidentPrefix(k);
      history.incidentRegion = inc.regionShown?.subarray(0, k);
      history.incidentCategory = inc.categoryShown?.subarray(0, k);
    }
    return history;
  }

  /** The first k (revealed) rows: typed columns are views, string columns are copied. */
  private incidentPrefix(k: number): IncidentTable {
    const inc = this.inc!, src = inc.src;
    let attrs: Record<string, (string | null)[]> | undefined;
    if (src.attrs) {
      attrs = {};
      for (const [name, col] of Object.entries(src.attrs)) attrs[name] = col.slice(0, k);
    }
    return {
      n: k, id: src.id.slice(0, k), t: inc.t.subarray(0, k), lat: inc.lat.subarray(0, k), lon: inc.lon.subarray(0, k),
      cat: inc.cat.subarray(0, k), categories: src.categories, tz: src.tz, attrs,
    };
  }
}

