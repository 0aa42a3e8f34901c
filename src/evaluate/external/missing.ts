/**
 * Cells a long table leaves out are never filled in silently: refused with the first few listed and a count,
 * unless the user chose `zero` (they forecast 0) or `skip` (the test periods with a gap are dropped for every
 * row, so paired comparisons stay on the same periods).
 */
import { periodLabel } from '../../time/bins.js';
import { UserError } from '../../util/errors.js';
import type { ExternalContext, ExternalSpec, ExternalValues } from './types.js';

const SHOW = 5;

/** Applies the missing-cell policy; returns notes and the test-period offsets to drop (skip). */
export function resolveMissing(spec: ExternalSpec, ctx: ExternalContext, v: ExternalValues): { notes: string[]; skippedPeriods?: number[] } {
  if (!v.given) return { notes: [] };
  const { tensor, testStart } = ctx;
  const R = tensor.regions, C = tensor.categories, RC = R * C, N = v.given.length, T = N / RC;
  let missing = 0;
  const shown: string[] = [];
  const periodsWithGap = new Set<number>();
  for (let i = 0; i < N; i++) {
    if (v.given[i]) continue;
    missing++;
    const p = Math.floor(i / RC), r = Math.floor(i / C) % R, c = i % C;
    periodsWithGap.add(p);
    if (shown.length < SHOW) shown.push(`(${tensor.regionIds[r]}, ${periodLabel(tensor.periodStart[testStart + p], tensor.unit, tensor.tz)}${C > 1 ? `, ${tensor.categoryNames[c]}` : ''})`);
  }
  if (missing === 0) return { notes: [] };
  const share = `${missing} of ${N} test cells (${((100 * missing) / N).toFixed(2)}%)`;
  if (ctx.missing === 'refuse') {
    throw new UserError(
      `${spec.file}: no forecast for ${share}, e.g. ${shown.join(' ')}`,
      'complete the file, or say what the gaps mean: --external-missing zero (they forecast 0) or --external-missing skip (drop the test periods with gaps, for every row)',
    );
  }
  if (ctx.missing === 'zero') return { notes: [`--external-missing zero: ${share} absent from the file, forecast as 0`] };
  if (periodsWithGap.size === T) throw new UserError(`${spec.file}: every test period has a gap, so --external-missing skip would leave nothing to score`, 'complete the file or use --external-missing zero');
  return {
    notes: [`--external-missing skip: ${share} absent; ${periodsWithGap.size} of ${T} test periods dropped for every row`],
    skippedPeriods: [...periodsWithGap].sort((a, b) => a - b),
  };
}
