/**
 * Member lists of ensemble specs. A model spec is "name:k=v,k=v", and the ensemble's own spec already uses ',' and
 * ':' at its level, so members are written with two different separators:
 *   - '|' between members,
 *   - ';' between one member's parameters (turned back into ',' before the member is created).
 * e.g. `stacking:members=moving-average:window=30;dist=negbin|historical-average|negbin-glm,validation=28`.
 * The outer parser splits the value of `members` at its first '=' only, so ':' and '=' inside members are safe.
 * Ensembles cannot nest (their member lists would need a third separator).
 */
import type { Forecaster } from '../forecaster.js';
import { createForecaster, getForecasterInfo, parseModelSpec } from '../registry.js';
import { UserError } from '../../util/errors.js';

export const MEMBER_SEPARATOR = '|';
export const MEMBER_PARAM_SEPARATOR = ';';

/** "a:x=1;y=2|b" → ["a:x=1,y=2", "b"], each checked against the registry (unknown models/parameters fail here). */
export function parseMemberSpecs(ensemble: string, value: string): string[] {
  const example = `${ensemble}:members=moving-average:window=30|historical-average|negbin-glm`;
  const specs = value.split(MEMBER_SEPARATOR).map((s) => s.trim());
  if (specs.some((s) => s === '')) {
    throw new UserError(`${ensemble}: empty member in "members=${value}". Separate members with '|', e.g. ${example}`);
  }
  if (specs.length < 2) {
    throw new UserError(`${ensemble}: needs at least two members separated by '|', got "${value}" (e.g. ${example}; ` +
      `a member's own parameters are separated by ';', e.g. moving-average:window=30;dist=negbin)`);
  }
  const out = specs.map((s) => s.split(MEMBER_PARAM_SEPARATOR).join(','));
  for (const s of out) {
    const family = inMember(ensemble, s, () => getForecasterInfo(parseModelSpec(s).name).family);
    if (family === 'ensemble') {
      throw new UserError(`${ensemble}: member "${s}" is itself an ensemble; ensembles cannot be nested`);
    }
  }
  if (new Set(out).size !== out.length) throw new UserError(`${ensemble}: a member is listed twice in "members=${value}"`);
  return out;
}

export function createMembers(ensemble: string, value: string): { specs: string[]; members: Forecaster[] } {
  const specs = parseMemberSpecs(ensemble, value);
  const members = specs.map((s) => inMember(ensemble, s, () => createForecaster(s)));
  return { specs, members };
}

/** Runs `f`, naming the member in any error it throws. */
function inMember<T>(ensemble: string, spec: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new UserError(`${ensemble}: member "${spec}": ${msg} (members are separated by '|', a member's parameters by ';')`);
  }
}
