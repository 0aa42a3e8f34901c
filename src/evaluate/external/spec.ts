/** Parses `--external NAME=FILE[,negative=keep|clip][,layout=grid|tensor]` and `--external-missing`. */
import { UserError } from '../../util/errors.js';
import type { ExternalSpec, MissingPolicy } from './types.js';

const OPTION = /,(negative|layout)=([^,]*)$/;

export function parseExternalSpec(text: string): ExternalSpec {
  const eq = text.indexOf('=');
  const name = eq > 0 ? text.slice(0, eq).trim() : '';
  if (!name || !/^[\w.:@+-]+$/.test(name)) {
    throw new UserError(`--external "${text}": expected NAME=FILE`, 'e.g. --external sthsl=peer-forecasts/sthsl_seed523.npy (NAME: letters, digits, . _ - : @ +)');
  }
  let rest = text.slice(eq + 1);
  const spec: ExternalSpec = { name, file: '' };
  for (let m = OPTION.exec(rest); m; m = OPTION.exec(rest)) {
    const [, key, value] = m;
    if (key === 'negative') {
      if (value !== 'keep' && value !== 'clip') throw new UserError(`--external ${name}: negative=${value} is not one of keep, clip`);
      spec.negative = value;
    } else {
      if (value !== 'grid' && value !== 'tensor') throw new UserError(`--external ${name}: layout=${value} is not one of grid, tensor`);
      spec.layout = value;
    }
    rest = rest.slice(0, m.index);
  }
  if (!rest) throw new UserError(`--external ${name}: no file after "="`);
  spec.file = rest;
  return spec;
}

export function parseExternalSpecs(texts: string[]): ExternalSpec[] {
  const specs = texts.map(parseExternalSpec);
  const seen = new Set<string>();
  for (const s of specs) {
    if (seen.has(s.name)) throw new UserError(`--external name "${s.name}" is given twice`, 'give each external forecast its own name');
    seen.add(s.name);
  }
  return specs;
}

export function parseMissingPolicy(text: string | undefined): MissingPolicy {
  if (text === undefined) return 'refuse';
  if (text === 'zero' || text === 'skip') return text;
  throw new UserError(`--external-missing ${text}: expected zero (a missing cell forecasts 0) or skip (drop test periods a file lacks, for every row)`);
}
