/**
 * `sepp`: continuous space-time self-exciting point process (Mohler et al. 2011) with a parametric trigger
 * θ ω e^{−ωt} N(0, σ²I) and a KDE background, fitted by EM on incidents projected to metres.
 *
 * Forecast for region r, category c, period h: the background μ(x, y) and the offspring density of past
 * events, Σ_i θ e^{−ω(T−t_i)} N(x − x_i; σ²), are both Gaussian mixtures, so their integrals over each region
 * come from a gridded KDE summed over a fine raster of the unit set (kdeAtRegions; polygons/H3 are covered
 * by sub-cells, so no centroid approximation). These give a per-region background rate μ_rc and excitation
 * S_rc; the period integral then uses the closed-form exponential-kernel cascade (hawkes-forecast.ts).
 * Later generations are assumed to stay in their ancestor's region — exact for the first generation and a
 * small error while σ is small next to the regions.
 *
 * With `trigger=nonparametric` the fit is Mohler et al.'s stochastic declustering (sepp-nonparametric.ts);
 * its background probabilities and k-NN bandwidths give μ, and the forecast uses the exponential × Gaussian
 * trigger matched to the estimated trigger's moments (θ = branching ratio, ω = 1 / mean delay, σ = RMS
 * displacement), which keeps the closed-form period integral.
 */
import { z } from 'zod';
import type { IncidentTable } from '../../data/incident-table.js';
import { bboxOfPoints } from '../../space/bbox.js';
import { projectionForBBox } from '../../space/projection.js';
import type { SpatialUnits } from '../../space/units.js';
import { UserError } from '../../util/errors.js';
import type { FitOptions, FitSummary, Forecast, Forecaster, History } from '../forecaster.js';
import { kdeAtRegions } from '../kernel/region-kde.js';
import { registerForecaster } from '../registry.js';
import { candidatePairs } from './candidate-pairs.js';
import { forecastStreams } from './hawkes-forecast.js';
import { fitSepp, type SeppFit } from './sepp-em.js';
import { fitSeppNonparametric, type NonparamSeppFit } from './sepp-nonparametric.js';
import { knnDistance2d } from './knn-bandwidth.js';
import { DAY_MS, fitWindow } from './time-window.js';
import { ExcitationState } from './excitation-state.js';

const params = z.object({
  /** Days of history to fit on (0 = all). */
  window: z.coerce.number().min(0).default(365),
  /** EM iterations (parametric), or declustering sweeps (non-parametric: 20–50 suffice). */
  iterations: z.coerce.number().int().min(1).default(100),
  tol: z.coerce.number().positive().default(1e-4),
  /**
   * separate: one process per category; pooled: one process for all categories (cross-category triggering
   * allowed), whose forecast for a category takes that category's background events and attributes
   * offspring to their parent's category.
   */
  categories: z.enum(['separate', 'pooled']).default('separate'),
  /** parametric: θωe^{−ωt}·N(0, σ²I) trigger by EM; nonparametric: stochastic declustering, k-NN KDEs. */
  trigger: z.enum(['parametric', 'nonparametric']).default('parametric'),
  /** Neighbour ranks of the non-parametric variable bandwidths (background, trigger). */
  kBackground: z.coerce.number().int().min(1).default(15),
  kTrigger: z.coerce.number().int().min(1).default(15),
  /**
   * Background KDE bandwidth of the parametric model, metres; 0 = adaptive (distance to the kBackground-th
   * neighbour, floored at minSigma), which lets repeat locations keep a sharp background of their own
   * instead of being explained as triggering.
   */
  bgBandwidth: z.coerce.number().min(0).default(300),
  /** Space-time window of candidate triggering pairs (days, metres); keep maxDist ≥ 4σ. */
  maxDt: z.coerce.number().positive().default(60),
  maxDist: z.coerce.number().positive().default(500),
  theta0: z.coerce.number().positive().max(0.99).default(0.3),
  omega0: z.coerce.number().positive().default(0.1),
  sigma0: z.coerce.number().positive().default(50),
  /** Floor on the trigger's spatial σ, metres (exact repeat locations otherwise drive σ to 0). */
  minSigma: z.coerce.number().positive().default(10),
  /** 0: Poisson predictive distribution; N > 0: N simulated futures ('samples'). */
  simulate: z.coerce.number().int().min(0).default(0),
});
export type SeppParams = z.infer<typeof params>;

/** What a forecast needs from a fit, parametric or not. */
interface TriggerSummary {
  theta: number;
  omega: number;
  sigma: number;
  T: number;
  pBackground: Float64Array;
}

interface GroupFit {
  fit: TriggerSummary;
  parametric?: SeppFit;
  nonparametric?: NonparamSeppFit;
  /** Background bandwidth per event (metres): one value (parametric) or k-NN distances. */
  bgBandwidth: number | Float64Array;
  /** Fitted events (time order): coordinates, tensor category, and time in UTC ms. */
  lat: Float64Array;
  lon: Float64Array;
  cat: Int32Array;
}

/** Indices of incidents usable by the model: a forecast category, a location, inside [fromMs, toMs). */
function usable(inc: IncidentTable, cat: Int32Array, fromMs: number, toMs: number, group: number | null): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < inc.n; i++) {
    if (cat[i] < 0 || (group !== null && cat[i] !== group)) continue;
    if (!(inc.t[i] >= fromMs && inc.t[i] < toMs) || !Number.isFinite(inc.lat[i]) || !Number.isFinite(inc.lon[i])) continue;
    out.push(i);
  }
  return Int32Array.from(out).sort((a, b) => inc.t[a] - inc.t[b]);
}

export class SeppForecaster implements Forecaster {
  readonly name = 'sepp';
  private groups: GroupFit[] = [];
  private seed = 1;
  /** Excitation carried past the last cut-off, advanced per period (excitation-state.ts); reset by fit. */
  private excitation: ExcitationState | null = null;
  /** Background events per day per region and category: fixed by the fit, integrated once per unit set. */
  private background: { units: SpatialUnits; mass: Float64Array[] } | null = null;
  constructor(readonly params: SeppParams) {}

  /** Fitted parametric models: one per category, or one pooled. */
  get fits(): SeppFit[] {
    return this.groups.flatMap((g) => (g.parametric ? [g.parametric] : []));
  }

  get nonparametricFits(): NonparamSeppFit[] {
    return this.groups.flatMap((g) => (g.nonparametric ? [g.nonparametric] : []));
  }

  fit(history: History, opts: FitOptions = {}): void {
    const inc = history.incidents, cat = history.incidentCategory;
    if (!inc || !cat) throw new UserError('model "sepp" needs incidents (point locations and times), not only counts');
    this.seed = opts.seed ?? 1;
    const p = this.params;
    const win = fitWindow(history.tensor, p.window);
    const all = usable(inc, cat, win.startMs, win.endMs, null);
    if (all.length === 0) throw new UserError('model "sepp": no located incident in the fitting window');
    const proj = projectionForBBox(bboxOfPoints(Float64Array.from(all, (i) => inc.lat[i]), Float64Array.from(all, (i) => inc.lon[i])));
    const nGroups = p.categories === 'separate' ? history.tensor.categories : 1;
    this.groups = [];
    this.excitation = null;
    this.background = null;
    for (let g = 0; g < nGroups; g++) {
      const idx = p.categories === 'separate' ? usable(inc, cat, win.startMs, win.endMs, g) : all;
      const lat = Float64Array.from(idx, (i) => inc.lat[i]), lon = Float64Array.from(idx, (i) => inc.lon[i]);
      const { x, y } = proj.forward(lat, lon);
      const t = Float64Array.from(idx, (i) => (inc.t[i] - win.startMs) / DAY_MS);
      const pairs = candidatePairs(x, y, t, p.maxDt, p.maxDist);
      const progress = (it: number, total: number) => {
        if (opts.signal?.aborted) throw new Error('SEPP fit aborted');
        opts.onProgress?.((g + Math.min(1, (it + 1) / total)) / nGroups, `group ${g + 1}/${nGroups}, iteration ${it + 1}`);
      };
      const base = { lat, lon, cat: Int32Array.from(idx, (i) => cat[i]) };
      if (idx.length === 0) {
        // a category never seen in the window: no background, no triggering
        this.groups.push({ ...base, fit: { theta: 0, omega: 1, sigma: p.minSigma, T: win.T, pBackground: new Float64Array(0) }, bgBandwidth: 1 });
      } else if (p.trigger === 'parametric') {
        const bw = p.bgBandwidth > 0 ? p.bgBandwidth : knnDistance2d(x, y, p.kBackground, p.minSigma);
        const fit = fitSepp({ x, y, t, T: win.T, pairs, maxDt: p.maxDt }, {
          bgBandwidth: bw, maxIter: p.iterations, tol: p.tol, theta0: p.theta0, omega0: p.omega0, sigma0: p.sigma0, minSigma: p.minSigma,
          onIteration: (it) => progress(it, p.iterations),
        });
        this.groups.push({ ...base, fit, parametric: fit, bgBandwidth: bw });
      } else {
        const np = fitSeppNonparametric({ x, y, t, T: win.T, pairs, maxDt: p.maxDt, maxDist: p.maxDist }, {
          iterations: p.iterations, kBackground: p.kBackground, kTrigger: p.kTrigger, minBandwidth: p.minSigma,
          theta0: p.theta0, omega0: p.omega0, sigma0: p.sigma0, seed: this.seed + g,
        });
        progress(p.iterations - 1, p.iterations);
        const fit = { theta: Math.min(np.branchingRatio, 0.99), omega: 1 / np.meanDelay, sigma: np.spatialSd, T: win.T, pBackground: np.pBackground };
        this.groups.push({ ...base, fit, nonparametric: np, bgBandwidth: np.bgBandwidth });
      }
    }
  }

  /** Background and triggering fixed since fit; the excitation advances with each new period. */
  fitted(): FitSummary {
    const parameters: Record<string, number> = {};
    this.groups.forEach((g, k) => {
      parameters[`theta[${k}]`] = g.fit.theta; parameters[`omega[${k}]`] = g.fit.omega; parameters[`sigma_m[${k}]`] = g.fit.sigma;
    });
    const empty = this.groups.filter((g) => g.cat.length === 0).length;
    const ex = this.excitation;
    const notes = ['background and triggering fixed by the fit; between refits the excitation of past events decays and each new period\'s events are added (equal to a redraw from the history)'];
    if (ex && ex.redraws > 1) notes.push(`excitation redrawn from the history ${ex.redraws} times (the first forecast after the fit, and histories that did not extend the one seen)`);
    return {
      betweenRefits: 'updated', parameters, notes,
      fallbacks: empty ? [{ what: 'no background and no triggering', reason: 'no located incident of the category in the fitting window', count: empty, of: this.groups.length }] : undefined,
    };
  }

  /** Between refits: advance the excitation to the end of the longer history at the fitted parameters. */
  update(history: History): void {
    this.sync(history);
  }

  /** Background per category for these units (once per fit and unit set) and the excitation at the history's end. */
  private sync(history: History): { bg: Float64Array[]; ex: Float64Array[]; periodDays: number } {
    if (this.groups.length === 0) throw new Error('sepp: predict or update called before fit');
    const units = history.units, inc = history.incidents, icat = history.incidentCategory;
    if (!units) throw new UserError('model "sepp" needs the spatial units to integrate its intensity over regions');
    if (!inc || !icat) throw new UserError('model "sepp" needs incidents');
    const p = this.params, tens = history.tensor, C = tens.categories;
    if (units.n !== tens.regions) throw new Error(`sepp: units have ${units.n} regions, the tensor ${tens.regions}`);
    const groupOf = (c: number) => this.groups[p.categories === 'separate' ? c : 0];
    if (this.groups.length !== (p.categories === 'separate' ? C : 1)) {
      throw new UserError(`sepp: fitted on ${this.groups.length} categor${this.groups.length === 1 ? 'y' : 'ies'}, handed a history with ${C}`, 'fit the model on the categories it forecasts');
    }
    if (this.background?.units !== units) {
      const mass: Float64Array[] = [];
      for (let c = 0; c < C; c++) {
        const grp = groupOf(c);
        // background rate per region (events/day): fitted background weights of this category's events
        const sel: number[] = [];
        for (let i = 0; i < grp.cat.length; i++) if (grp.cat[i] === c) sel.push(i);
        mass.push(backgroundMass(grp, sel, grp.fit.pBackground, grp.fit.T, units));
      }
      this.background = { units, mass };
    }
    if (!this.excitation) this.excitation = new ExcitationState(Array.from({ length: C }, (_, c) => ({ omega: groupOf(c).fit.omega, sigma: groupOf(c).fit.sigma })));
    const win = fitWindow(tens, p.window);
    this.excitation.sync(inc, icat, units, win.endMs);
    return { bg: this.background.mass, ex: this.excitation.ex, periodDays: win.periodDays };
  }

  predict(history: History, horizon: number): Forecast {
    const { bg, ex, periodDays } = this.sync(history);
    const p = this.params, R = history.tensor.regions, C = history.tensor.categories, nS = R * C;
    const st = { mu: new Float64Array(nS), S: new Float64Array(nS), theta: new Float64Array(nS), omega: new Float64Array(nS) };
    for (let c = 0; c < C; c++) {
      const { theta, omega } = this.groups[p.categories === 'separate' ? c : 0].fit;
      for (let r = 0; r < R; r++) {
        const s = r * C + c;
        st.mu[s] = bg[c][r]; st.S[s] = ex[c][r]; st.theta[s] = theta; st.omega[s] = omega;
      }
    }
    const { mean, samples } = forecastStreams(st, periodDays, horizon, p.simulate, this.seed ^ 0x5e99);
    const dist = samples ? { family: 'samples' as const, n: p.simulate, samples } : { family: 'poisson' as const };
    return { horizon, regions: R, categories: C, mean, dist };
  }
}

/**
 * Background events per day in each region: the KDE of the background-weighted events, integrated over the
 * regions. Variable (k-NN) bandwidths are grouped into classes a factor √2 apart, one integration per class.
 */
function backgroundMass(grp: GroupFit, sel: number[], pBackground: Float64Array, T: number, units: SpatialUnits): Float64Array {
  const bw = grp.bgBandwidth;
  const classes = new Map<number, number[]>();
  for (const i of sel) {
    const h = typeof bw === 'number' ? bw : bw[i];
    const c = typeof bw === 'number' ? 0 : Math.round(2 * Math.log2(h));
    let list = classes.get(c);
    if (!list) classes.set(c, (list = []));
    list.push(i);
  }
  const mass = new Float64Array(units.n);
  for (const [c, members] of classes) {
    const h = typeof bw === 'number' ? bw : 2 ** (c / 2);
    const m = kdeAtRegions(
      { lat: Float64Array.from(members, (i) => grp.lat[i]), lon: Float64Array.from(members, (i) => grp.lon[i]), w: Float64Array.from(members, (i) => pBackground[i] / T) },
      units, { kernel: 'gaussian', bandwidth: h, edgeCorrection: 'event' },
    ).mass;
    for (let r = 0; r < units.n; r++) mass[r] += m[r];
  }
  return mass;
}

registerForecaster({
  name: 'sepp',
  family: 'pointprocess',
  description: 'Continuous space-time self-exciting point process (Mohler et al. 2011): KDE background + exponential-in-time, Gaussian-in-space triggering, fitted by EM',
  params,
  needs: { incidents: true, units: true },
  create: (p) => new SeppForecaster(p),
});
