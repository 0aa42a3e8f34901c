/**
 * Forecasters by name, so the CLI, the API and the backtest can say `moving-average:window=30`.
 * Each model file registers itself; `src/models/all.ts` imports every model file once.
 */
import { z } from 'zod';
import type { Forecaster } from './forecaster.js';
import { UserError } from '../util/errors.js';

export type ModelFamily =
  | 'baseline' | 'kernel' | 'pointprocess' | 'trees' | 'linear' | 'svm' | 'neighbors' | 'bayes'
  | 'timeseries' | 'deep' | 'graph' | 'ensemble';

export interface ForecasterInfo<S extends z.ZodObject = z.ZodObject> {
  name: string;
  family: ModelFamily;
  description: string;
  /** Hyper-parameter schema. Use z.coerce.* so "window=30" from a string parses; give every field a default. */
  params: S;
  /** What the model needs in the History beyond the count tensor. */
  needs?: { incidents?: boolean; units?: boolean; lattice?: boolean; covariates?: boolean };
  create(params: z.infer<S>): Forecaster;
}

export { flag } from '../util/params.js';

const registry = new Map<string, ForecasterInfo>();

export function registerForecaster<S extends z.ZodObject>(info: ForecasterInfo<S>): void {
  if (registry.has(info.name)) throw new Error(`forecaster "${info.name}" is registered twice`);
  registry.set(info.name, info as unknown as ForecasterInfo);
}

export function listForecasters(): ForecasterInfo[] {
  return [...registry.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export function getForecasterInfo(name: string): ForecasterInfo {
  const info = registry.get(name);
  if (!info) {
    throw new UserError(`unknown model "${name}". Available: ${listForecasters().map((f) => f.name).join(', ')}`);
  }
  return info;
}

/** "moving-average:window=30,foo=bar" → { name, params }. */
export function parseModelSpec(spec: string): { name: string; params: Record<string, string> } {
  const colon = spec.indexOf(':');
  const name = (colon < 0 ? spec : spec.slice(0, colon)).trim();
  const params: Record<string, string> = {};
  if (colon >= 0 && spec.slice(colon + 1).trim() !== '') {
    for (const part of spec.slice(colon + 1).split(',')) {
      const eq = part.indexOf('=');
      if (eq <= 0) throw new UserError(`model spec "${spec}": expected key=value, got "${part}" (e.g. moving-average:window=30)`);
      params[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
    }
  }
  if (!name) throw new UserError(`empty model spec "${spec}"`);
  return { name, params };
}

/** Create a forecaster from a spec string or name + params; unknown or invalid parameters fail with a clear message. */
export function createForecaster(spec: string, overrides: Record<string, unknown> = {}): Forecaster {
  const { name, params } = parseModelSpec(spec);
  const info = getForecasterInfo(name);
  const raw = { ...params, ...overrides };
  const known = Object.keys(info.params.shape);
  for (const k of Object.keys(raw)) {
    if (!known.includes(k)) {
      const hint = info.family === 'ensemble' ? ` (inside members=…, separate one member's parameters with ';', e.g. members=moving-average:window=30;dist=negbin|historical-average)` : '';
      throw new UserError(`model "${name}" has no parameter "${k}". Its parameters: ${known.join(', ') || '(none)'}${hint}`);
    }
  }
  const parsed = info.params.safeParse(raw);
  if (!parsed.success) {
    const msg = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new UserError(`model "${name}": invalid parameters (${msg})`);
  }
  return info.create(parsed.data);
}
