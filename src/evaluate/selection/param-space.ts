/**
 * Search spaces over a model's hyper-parameters, from CLI ranges:
 *   window=7..60          integers, uniform (both bounds written as integers)
 *   alpha=0.05..0.95      reals, uniform (a bound written with '.' or an exponent)
 *   lambda=1e-4..1:log    log-uniform (integers too: window=2..200:log)
 *   dist=poisson|negbin   one of the listed values
 * Keys are checked against the model's parameter schema and both ends of a range against its constraints.
 */
import { createForecaster, getForecasterInfo, parseModelSpec } from '../../models/registry.js';
import { UserError } from '../../util/errors.js';
import type { Rng } from '../../util/rng.js';

export type ParamRange =
  | { key: string; kind: 'int' | 'real'; lo: number; hi: number; log: boolean }
  | { key: string; kind: 'choice'; values: string[] };

export interface ParamSpace {
  /** Model name and the parameters fixed in the base spec. */
  model: string;
  fixed: Record<string, string>;
  ranges: ParamRange[];
}

const INT = /^[+-]?\d+$/;

export function parseParamRange(text: string): ParamRange {
  const eq = text.indexOf('=');
  const example = 'e.g. --param window=7..60, --param lambda=1e-4..1:log or --param dist=poisson|negbin';
  if (eq <= 0) throw new UserError(`--param "${text}": expected key=range (${example})`);
  const key = text.slice(0, eq).trim();
  let body = text.slice(eq + 1).trim();
  if (body.includes('..')) {
    const log = body.endsWith(':log');
    if (log) body = body.slice(0, -4);
    const [a, b, ...rest] = body.split('..');
    const lo = Number(a), hi = Number(b);
    if (rest.length || a.trim() === '' || b.trim() === '' || !Number.isFinite(lo) || !Number.isFinite(hi)) {
      throw new UserError(`--param "${text}": range bounds must be numbers (${example})`);
    }
    if (!(lo < hi)) throw new UserError(`--param "${text}": the lower bound must be below the upper bound`);
    if (log && !(lo > 0)) throw new UserError(`--param "${text}": a :log range needs a positive lower bound`);
    return { key, kind: INT.test(a.trim()) && INT.test(b.trim()) ? 'int' : 'real', lo, hi, log };
  }
  const values = body.split('|').map((v) => v.trim());
  if (values.length < 2 || values.some((v) => v === '')) throw new UserError(`--param "${text}": give a range lo..hi or at least two values a|b (${example})`);
  return { key, kind: 'choice', values };
}

/** The space of `baseSpec` (model name plus fixed parameters) over the given ranges, checked against the model. */
export function paramSpace(baseSpec: string, ranges: ParamRange[]): ParamSpace {
  const { name, params: fixed } = parseModelSpec(baseSpec);
  const info = getForecasterInfo(name);
  const known = Object.keys(info.params.shape);
  if (ranges.length === 0) throw new UserError(`give at least one --param range to search (model "${name}" has: ${known.join(', ') || 'no parameters'})`);
  const seen = new Set<string>();
  for (const r of ranges) {
    if (!known.includes(r.key)) throw new UserError(`model "${name}" has no parameter "${r.key}". Its parameters: ${known.join(', ') || '(none)'}`);
    if (r.key in fixed) throw new UserError(`parameter "${r.key}" is both fixed in "${baseSpec}" and searched; drop one`);
    if (seen.has(r.key)) throw new UserError(`parameter "${r.key}" is searched twice`);
    seen.add(r.key);
  }
  const space: ParamSpace = { model: name, fixed, ranges };
  // both ends (and every choice) must be valid parameters of the model: fail now, not after an hour of trials
  for (const r of ranges) {
    const ends = r.kind === 'choice' ? r.values : [String(r.lo), String(r.hi)];
    for (const v of ends) {
      try {
        createForecaster(configSpec(space, { [r.key]: v }, false));
      } catch (e) {
        throw new UserError(`--param ${r.key}: value ${v} is not valid for ${name}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
  return space;
}

export type Config = Record<string, string>;

/** One value per range, drawn with `rng`. */
export function sampleConfig(space: ParamSpace, rng: Rng): Config {
  const out: Config = {};
  for (const r of space.ranges) {
    if (r.kind === 'choice') { out[r.key] = r.values[rng.int(r.values.length)]; continue; }
    const u = rng.random();
    if (r.kind === 'int') {
      // log: uniform on log scale over [lo − ½, hi + ½) so the end values get their share
      // (an integer log range has lo ≥ 1, so lo − ½ > 0)
      const a = r.lo - 0.5, b = r.hi + 0.5;
      const x = r.log ? Math.exp(Math.log(a) + u * (Math.log(b) - Math.log(a))) : a + u * (b - a);
      out[r.key] = String(Math.min(r.hi, Math.max(r.lo, Math.round(x))));
    } else {
      const x = r.log ? Math.exp(Math.log(r.lo) + u * (Math.log(r.hi) - Math.log(r.lo))) : r.lo + u * (r.hi - r.lo);
      out[r.key] = String(Number(x.toPrecision(4)));
    }
  }
  return out;
}

/** Number of distinct configurations, Infinity when a range is real-valued. */
export function spaceSize(space: ParamSpace): number {
  let n = 1;
  for (const r of space.ranges) n *= r.kind === 'choice' ? r.values.length : r.kind === 'int' ? r.hi - r.lo + 1 : Infinity;
  return n;
}

/** Model spec of a configuration (fixed parameters first, then the searched ones in range order). */
export function configSpec(space: ParamSpace, config: Config, complete = true): string {
  const parts = Object.entries(space.fixed).map(([k, v]) => `${k}=${v}`);
  for (const r of space.ranges) {
    if (r.key in config) parts.push(`${r.key}=${config[r.key]}`);
    else if (complete) throw new Error(`configuration lacks ${r.key}`);
  }
  return parts.length ? `${space.model}:${parts.join(',')}` : space.model;
}

/** Up to `n` distinct configurations (all of them when the space is smaller). */
export function sampleDistinct(space: ParamSpace, n: number, rng: Rng): string[] {
  const specs = new Set<string>();
  const size = spaceSize(space), want = Math.min(n, size);
  for (let tries = 0; specs.size < want && tries < 50 * n; tries++) specs.add(configSpec(space, sampleConfig(space, rng)));
  return [...specs];
}
