/**
 * `hotspot`: a forecaster built for ranking small cells. Each category's rate per cell is its decayed count
 * (a half-life: long-run or recent) shrunk by empirical-Bayes gamma–Poisson toward a prior — the neighbourhood
 * density, the cell's all-crime count split by the local category mix, or the city-wide density — times a
 * city-wide day-of-week factor on daily data. The half-life, prior, shrinkage α and weekday factor are chosen
 * per category by Poisson likelihood on the last periods of the history (selection.ts); the predictive
 * distribution is a negative binomial whose size is fitted on the same validation residuals.
 * Between refits the choices stay fixed and predict recomputes the counts from the history it is handed.
 */
import { z } from 'zod';
import type { FitShare, FitSummary, Forecast, Forecaster, History } from '../forecaster.js';
import { registerForecaster } from '../registry.js';
import { countForecast } from '../baselines/one-step-dispersion.js';
import { lastPeriodMs, DAY_MS } from '../pointprocess/time-window.js';
import { UserError } from '../../util/errors.js';
import type { PriorKind, PriorSpace, PriorSpec } from './priors.js';
import { priorLabel } from './priors.js';
import { ratesAt, selectConfigs, type CategoryConfig, type Selection } from './selection.js';
import { weekdayFactors } from './weekday.js';

/** "60/180/inf" → numbers (inf = Infinity); lists use '/' because ',' separates a spec's parameters. */
const numberList = (what: string) => z.string().transform((s, ctx) => {
  const out = s.split('/').map((x) => x.trim().toLowerCase()).map((x) => (x === 'inf' ? Infinity : Number(x)));
  if (out.length === 0 || out.some((x) => !(x >= 0))) {
    ctx.addIssue({ code: 'custom', message: `${what}: expected non-negative numbers separated by '/', e.g. 60/180/inf; got "${s}"` });
  }
  return out;
});

const params = z.object({
  /** Candidate half-lives of the counts, in days (inf: the long-run count). */
  halfLives: numberList('halfLives').prefault('90/365/inf'),
  /** Candidate neighbourhood reaches (adjacency diffusion rounds; 0 = the cell alone). */
  steps: numberList('steps').prefault('1/4'),
  /** Candidate prior kinds. */
  priors: z.string().default('neighbourhood/cell-total/city'),
  /** Candidate gamma shapes α (prior pseudo-crimes; inf = the prior alone). */
  alphas: numberList('alphas').prefault('2/8/32/inf'),
  /** Try a city-wide day-of-week factor on daily data. */
  weekday: z.enum(['auto', 'off']).default('auto'),
  /** Days at the end of the history the choices are validated on, and the block each validation forecast covers. */
  validationDays: z.coerce.number().positive().default(56),
  blockDays: z.coerce.number().positive().default(14),
  dist: z.enum(['negbin', 'poisson']).default('negbin'),
});
export type HotspotParams = z.infer<typeof params>;

const PRIOR_KINDS: PriorKind[] = ['neighbourhood', 'cell-total', 'city'];
/** Fewest history periods before the validation blocks for the choice to be made on data. */
const MIN_TRAIN_PERIODS = 7;
const DEFAULT_CONFIG: CategoryConfig = { halfLife: Infinity, prior: { kind: 'city', steps: 0 }, alpha: 2, weekday: false };

export class HotspotForecaster implements Forecaster {
  readonly name = 'hotspot';
  private configs: CategoryConfig[] | null = null;
  private size: Float64Array | null = null;
  private selection: Selection | null = null;
  private summary: { floored: FitShare; noUnits: boolean; defaults: boolean; periodDays: number } | null = null;

  constructor(readonly params: HotspotParams) {
    const bad = params.priors.split('/').filter((k) => !PRIOR_KINDS.includes(k as PriorKind));
    if (bad.length) throw new UserError(`hotspot: unknown prior kind(s) ${bad.join(', ')}; use ${PRIOR_KINDS.join('/')}`);
  }

  fit(history: History): void {
    const t = history.tensor, p = this.params;
    if (t.periods < 1) throw new UserError('hotspot: the history has no periods to fit on');
    const periodDays = lastPeriodMs(t) / DAY_MS;
    const space = spaceOf(history);
    const kinds = p.priors.split('/') as PriorKind[];
    const priors: PriorSpec[] = [];
    for (const kind of kinds) {
      if (kind === 'city') priors.push({ kind, steps: 0 });
      else if (space.adjacency) for (const steps of p.steps) priors.push({ kind, steps });
    }
    if (priors.length === 0) priors.push({ kind: 'city', steps: 0 });
    // short histories validate on their second half, so the choice is still made on data
    const V = Math.max(1, Math.min(Math.round(p.validationDays / periodDays), Math.floor(t.periods / 2)));
    const block = Math.max(1, Math.min(V, Math.round(p.blockDays / periodDays)));
    const defaults = t.periods - V < MIN_TRAIN_PERIODS;
    if (defaults) {
      this.configs = Array.from({ length: t.categories }, () => DEFAULT_CONFIG);
      this.size = new Float64Array(t.categories).fill(Infinity);
      this.selection = null;
    } else {
      const sel = selectConfigs(t, space, {
        halfLives: p.halfLives.map((d) => d / periodDays),
        priors, alphas: p.alphas, weekday: p.weekday === 'auto' && t.unit === 'day',
      }, V, block);
      this.selection = sel; this.configs = sel.configs; this.size = sel.size;
    }
    const floored = ratesAt(t, space, this.configs, t.periods, new Float64Array(t.regions * t.categories));
    this.summary = { floored: { count: floored, of: t.regions * t.categories }, noUnits: !space.adjacency, defaults, periodDays };
  }

  predict(history: History, horizon: number): Forecast {
    const configs = this.configs;
    if (!configs || !this.size) throw new Error('hotspot: predict called before fit');
    const t = history.tensor, R = t.regions, C = t.categories, RC = R * C;
    if (configs.length !== C) throw new Error(`hotspot: fitted on ${configs.length} categories, asked to predict ${C}`);
    const rate = new Float64Array(RC);
    ratesAt(t, spaceOf(history), configs, t.periods, rate);
    const f = configs.some((c) => c.weekday) ? weekdayFactors(t) : null;
    const mean = new Float32Array(horizon * RC);
    for (let h = 0; h < horizon; h++) {
      const ph = (t.periods + h) % 7;
      for (let i = 0; i < RC; i++) {
        const c = i % C;
        mean[h * RC + i] = rate[i] * (f && configs[c].weekday ? f[ph * C + c] : 1);
      }
    }
    const size = Float64Array.from(this.size, (k) => (Number.isFinite(k) ? k : 1e12));
    return countForecast(mean, horizon, R, C, this.params.dist, size);
  }

  fitted(): FitSummary {
    const cfg = this.configs, s = this.summary;
    if (!cfg || !s) return { betweenRefits: 'conditioned' };
    const parameters: Record<string, number | string | boolean> = {};
    cfg.forEach((c, j) => {
      parameters[`halfLifeDays[${j}]`] = Number.isFinite(c.halfLife) ? +(c.halfLife * s.periodDays).toFixed(1) : 'inf';
      parameters[`prior[${j}]`] = priorLabel(c.prior);
      parameters[`alpha[${j}]`] = Number.isFinite(c.alpha) ? c.alpha : 'inf';
      parameters[`weekday[${j}]`] = c.weekday;
      if (this.params.dist === 'negbin') parameters[`size[${j}]`] = Number.isFinite(this.size![j]) ? +this.size![j].toFixed(3) : 'inf';
    });
    const sel = this.selection;
    if (sel) {
      sel.logLik.forEach((v, j) => { parameters[`validLogLik[${j}]`] = +v.toFixed(5); parameters[`validLogLikRaw[${j}]`] = +sel.rawLogLik[j].toFixed(5); });
      parameters.validationPeriods = sel.periods;
      parameters.candidates = sel.candidates;
    }
    const C = cfg.length;
    const fallbacks: FitSummary['fallbacks'] = [];
    if (s.floored.count > 0) fallbacks.push({ ...s.floored, what: "prior rate at its floor (0.1% of the category's mean cell rate)", reason: 'no crimes behind the prior: none in the cell (cell-total prior) or in its neighbourhood (neighbourhood prior)' });
    if (s.noUnits) fallbacks.push({ count: C, of: C, what: 'city-wide prior instead of the neighbourhood', reason: 'the history has no spatial units (adjacency)' });
    if (s.defaults) fallbacks.push({ count: C, of: C, what: 'default choice (long-run count, city prior, α = 2, Poisson)', reason: `history too short to validate on (< ${MIN_TRAIN_PERIODS} periods before the validation days)` });
    const parts = new Map<string, number>();
    for (const c of cfg) { const k = `${c.prior.kind}${Number.isFinite(c.alpha) ? '' : ' (prior alone)'}`; parts.set(k, (parts.get(k) ?? 0) + 1); }
    return {
      betweenRefits: 'conditioned', parameters,
      parts: [...parts].map(([model, count]) => ({ model: `shrunk toward ${model}`, count, of: C })),
      fallbacks: fallbacks.length ? fallbacks : undefined,
    };
  }
}

function spaceOf(history: History): PriorSpace {
  const u = history.units, R = history.tensor.regions;
  if (u && u.n === R) return { area: u.area, adjacency: u.adjacency };
  return { area: new Float64Array(R).fill(1) };
}

registerForecaster({
  name: 'hotspot',
  family: 'kernel',
  description: 'Hot-spot ranking model: per-category decayed counts shrunk (empirical-Bayes gamma–Poisson) toward neighbourhood / all-crime / city priors, day-of-week factors; all choices by validation likelihood',
  params,
  needs: {},
  create: (p) => new HotspotForecaster(p),
});
