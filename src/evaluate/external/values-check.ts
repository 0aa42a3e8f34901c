/** Checks on forecast values shared by the loaders: negative counts are refused unless the spec says keep or clip. */
import { UserError } from '../../util/errors.js';
import type { ExternalSpec } from './types.js';

/** Applies spec.negative to `values` in place; `where(i)` names the file's index or line of value i. */
export function applyNegativePolicy(values: Float32Array, spec: ExternalSpec, where: (i: number) => string): string[] {
  let neg = 0, first = -1, min = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] < 0) { if (first < 0) first = i; neg++; if (values[i] < min) min = values[i]; }
  }
  if (neg === 0) return [];
  if (!spec.negative || spec.negative === 'refuse') {
    throw new UserError(
      `${spec.file}: negative forecast ${values[first]} at ${where(first)} (${neg} negative values in all)`,
      `counts cannot be negative: add ,negative=keep to score the values as given (point metrics use them; Poisson scores use max(0, value)) or ,negative=clip to set them to 0, e.g. --external ${spec.name}=${spec.file},negative=keep`,
    );
  }
  const share = `${neg} of ${values.length} values (${((100 * neg) / values.length).toFixed(2)}%, min ${min.toPrecision(3)})`;
  if (spec.negative === 'clip') {
    for (let i = 0; i < values.length; i++) if (values[i] < 0) values[i] = 0;
    return [`negative=clip: ${share} were negative and set to 0`];
  }
  return [`negative=keep: ${share} are negative; point metrics and the bias use them as given, Poisson scores (log score, RPS, P(≥1)) use max(0, value)`];
}
