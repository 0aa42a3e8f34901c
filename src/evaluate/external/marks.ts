/** How external rows and the bias ratio show in leaderboards (CLI text, report tables). */
import type { ModelReport } from '../protocols/types.js';

/** "external count forecast from FILE (sha256 …)", or undefined for a built-in model. */
export function externalLabel(m: Pick<ModelReport, 'external'>): string | undefined {
  const e = m.external;
  return e ? `external ${e.kind} forecast from ${e.file} (sha256 ${e.sha256.slice(0, 12)}…)` : undefined;
}

/** The bias ratio that belongs beside a masked / point metric ("maskedMAE/THEFT" → bias/THEFT), if the row has it. */
export function biasFor(m: Pick<ModelReport, 'bias'>, metric: string): { value: number; lo: number; hi: number } | undefined {
  const g = /^(?:maskedMAE|maskedMAPE|MAE)\/(.+)$/.exec(metric);
  return g ? m.bias?.[`bias/${g[1]}`] : undefined;
}

/** "  bias ×1.176 [1.154, 1.203]" for the CLI table, or ''. */
export function biasText(m: Pick<ModelReport, 'bias'>, metric: string): string {
  const b = biasFor(m, metric);
  if (!b) return '';
  return `  bias ×${b.value.toFixed(3)}${Number.isFinite(b.lo) ? ` [${b.lo.toFixed(3)}, ${b.hi.toFixed(3)}]` : ''}`;
}

/** Why a row has no value for a metric (box and ranking files: hot-spot metrics only; P(≥1) files: those and occurrence scores). */
export function notScoredText(m: Pick<ModelReport, 'external'>): string {
  const kind = m.external?.kind;
  if (kind === 'boxes' || kind === 'ranking') return `n/a (${kind}: hot-spot metrics only)`;
  if (kind === 'probability') return 'n/a (P(≥1) forecast: hot-spot and occurrence scores only)';
  return 'n/a';
}

/**
 * Beside a loss-optimal functional's row ("maskedMAE[positive-median]/all"): the share of ALL cells where that
 * functional forecasts ≥ 1 and its unmasked MAE — what the masked score hides.
 */
export function functionalText(m: Pick<ModelReport, 'bias'>, metric: string): string {
  const g = /^masked(?:MAE|MAPE)\[([a-z-]+)\]\/(.+)$/.exec(metric);
  if (!g) return '';
  const share = m.bias?.[`share≥1[${g[1]}]/${g[2]}`], mae = m.bias?.[`MAE[${g[1]}]/${g[2]}`];
  if (!share || !mae) return '';
  return `  forecasts ≥ 1 in ${(100 * share.value).toFixed(0)}% of all cells; its MAE ${mae.value.toFixed(4)}`;
}
