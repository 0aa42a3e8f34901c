/**
 * Shared machinery of the ensembles: members created from the `members` spec, combination learned on
 * out-of-sample validation forecasts (validation.ts), members then refitted on the whole history, and the
 * forecast a per-cell mixture of member forecasts (mixture.ts).
 */
import { z } from 'zod';
import type { FitOptions, FitSummary, Forecast, Forecaster, History } from '../forecaster.js';
import { flag, getForecasterInfo, parseModelSpec } from '../registry.js';
import { UserError } from '../../util/errors.js';
import { createMembers } from './member-specs.js';
import { collectValidation, fittedMember, memberForecast, type FittedMember, type ValidationSet } from './validation.js';
import { mixtureForecast } from './mixture.js';

/** Parameters every ensemble takes. */
export const ensembleParams = {
  /** Members separated by '|', a member's own parameters by ';' (see member-specs.ts). */
  members: z.string().default('moving-average:window=30|historical-average|negbin-glm'),
  /** Validation periods at the end of each training history (at most half of it is used). */
  validation: z.coerce.number().int().positive().default(28),
  /** One combination per category (else one for all categories). */
  perCategory: flag(true),
};

export interface EnsembleParams { members: string; validation: number; perCategory: boolean }

/** What a combination rule returns: per-cell weights (member-major, M × RC) and optional per-cell mean scale. */
export interface Combination { weight: Float64Array; scale?: Float64Array }

export abstract class EnsembleForecaster implements Forecaster {
  readonly memberSpecs: string[];
  /** Members fitted on the last history given to fit (possibly shared with other ensembles: see member-cache.ts). */
  protected members: FittedMember[] = [];
  protected combination?: Combination;

  constructor(readonly name: string, readonly params: Readonly<EnsembleParams & Record<string, unknown>>) {
    // creating the members once checks every spec up front
    this.memberSpecs = createMembers(name, params.members).specs;
  }

  protected get memberCount(): number {
    return this.memberSpecs.length;
  }

  /** The combination from validation forecasts; `val` is undefined when the history is too short to hold any out. */
  protected abstract learn(val: ValidationSet | undefined, history: History): Combination;

  async fit(history: History, opts?: FitOptions): Promise<void> {
    this.checkNeeds(history);
    const val = await collectValidation(this.memberSpecs, history, this.params.validation, opts);
    this.combination = this.learn(val, history);
    const members: FittedMember[] = [];
    for (const spec of this.memberSpecs) members.push(await fittedMember(spec, history, opts));
    this.members = members;
  }

  async predict(history: History, horizon: number): Promise<Forecast> {
    const comb = this.combination;
    if (!comb) throw new Error(`${this.name}: predict called before fit`);
    const RC = history.tensor.regions * history.tensor.categories, M = this.memberCount;
    if (comb.weight.length !== M * RC) throw new Error(`${this.name}: fitted on ${comb.weight.length / M} cells, asked to forecast ${RC}`);
    // members without weight anywhere are not asked to forecast (some members' predict is costly)
    const active = Array.from({ length: M }, (_, m) => m).filter((m) => comb.weight.subarray(m * RC, (m + 1) * RC).some((w) => w > 0));
    const forecasts: Forecast[] = [];
    for (const m of active) forecasts.push(await memberForecast(this.members[m], history, horizon));
    // one member holds all the weight everywhere: its own forecast is the mixture, exactly
    if (active.length === 1 && !comb.scale && comb.weight.subarray(active[0] * RC, (active[0] + 1) * RC).every((w) => w === 1)) return forecasts[0];
    const weight = new Float64Array(active.length * RC);
    active.forEach((m, k) => weight.set(comb.weight.subarray(m * RC, (m + 1) * RC), k * RC));
    return mixtureForecast(forecasts, weight, comb.scale);
  }

  /** Members are updated between refits like any model; the combination stays as fitted. */
  async update(history: History): Promise<void> {
    for (const m of this.members) await m.model.update?.(history);
  }

  /** Member weights (mean over cells) as parts, and every member's fallbacks. */
  fitted(): FitSummary {
    const comb = this.combination;
    const specs = this.memberSpecs, M = specs.length;
    const parts: { model: string; count: number; of: number }[] = [];
    const parameters: Record<string, number> = {};
    if (comb) {
      const RC = comb.weight.length / M;
      specs.forEach((spec, m) => {
        let w = 0, used = 0;
        for (let j = 0; j < RC; j++) { const v = comb.weight[m * RC + j]; w += v; if (v > 0) used++; }
        parameters[`weight[${spec}]`] = w / RC;
        parts.push({ model: spec, count: used, of: RC });
      });
    }
    const memberSummaries = this.members.map((m) => m.model.fitted());
    const fallbacks = memberSummaries.flatMap((s, m) => (s.fallbacks ?? []).map((f) => ({ ...f, what: `${specs[m]}: ${f.what}` })));
    const frozen = memberSummaries.some((s) => s.betweenRefits === 'frozen');
    return {
      betweenRefits: frozen ? 'frozen' : memberSummaries.some((s) => s.betweenRefits === 'updated') ? 'updated' : 'conditioned',
      parameters, parts: parts.length ? parts : undefined, fallbacks: fallbacks.length ? fallbacks : undefined,
      notes: [`parts: cells where each member has weight > 0 (a cell may count for several members)`],
    };
  }

  /**
   * A member that needs incidents, units or covariates fails deep inside its fit when they are missing; say
   * which member, and why they may be missing, up front.
   */
  private checkNeeds(history: History): void {
    this.memberSpecs.forEach((spec) => {
      const needs = getForecasterInfo(parseModelSpec(spec).name).needs ?? {};
      const missing = [
        needs.incidents && !history.incidents ? 'incidents' : '',
        (needs.units || needs.lattice) && !history.units ? 'spatial units' : '',
        needs.covariates && !history.covariates ? 'covariates' : '',
      ].filter(Boolean);
      if (missing.length) {
        throw new UserError(`${this.name}: member "${spec}" needs ${missing.join(' and ')}, which the data handed to the ensemble lacks ` +
          '(protocols load them only for models that declare the need; run that member on its own, or choose members that use counts only)');
      }
    });
  }

  /** Mean weight of each member per category (M × C), for reports and tests. */
  weightsByCategory(categories: number): Float64Array {
    const comb = this.combination;
    if (!comb) throw new Error(`${this.name}: not fitted`);
    const M = this.memberCount, RC = comb.weight.length / M, R = RC / categories;
    const out = new Float64Array(M * categories);
    for (let m = 0; m < M; m++) {
      for (let j = 0; j < RC; j++) out[m * categories + (j % categories)] += (comb.weight[m * RC + j] * (comb.scale ? comb.scale[j] : 1)) / R;
    }
    return out;
  }
}

/** Validation cell indices of each category (or one list of all cells). */
export function categoryCells(val: ValidationSet, perCategory: boolean): Uint32Array[] {
  const n = val.y.length, C = val.categories;
  if (!perCategory) return [Uint32Array.from({ length: n }, (_, i) => i)];
  return Array.from({ length: C }, (_, c) => Uint32Array.from({ length: n / C }, (_, k) => k * C + c));
}

/** Per-cell weights from one weight vector per category (`perCategory`) or one for all. */
export function broadcastWeights(w: Float64Array[], M: number, R: number, C: number): Float64Array {
  const RC = R * C, out = new Float64Array(M * RC);
  for (let m = 0; m < M; m++) for (let j = 0; j < RC; j++) out[m * RC + j] = w[w.length === 1 ? 0 : j % C][m];
  return out;
}
