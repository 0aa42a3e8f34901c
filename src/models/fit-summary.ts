/**
 * Fit summaries across a run: a backtest fits a model several times, so parts and fallbacks are added up over the
 * fits (share = Σcount / Σof), and the things a reader must see next to the model's row become warnings.
 */
import type { FitShare, FitSummary } from './forecaster.js';

/** A run's account of what the model did: the summaries of its fits, merged, plus the engine's own counts. */
export interface RunFitSummary extends FitSummary {
  fits: number;
  /** Origins at which the engine called `update` instead of refitting. */
  updates: number;
  /** Test origins forecast from a frozen state (a model with betweenRefits = 'frozen', between refits). */
  frozenOrigins: number;
  origins: number;
}

/** Fallbacks covering more than this share of the data are printed as warnings beside the model's row. */
export const FALLBACK_WARN_SHARE = 0.05;

function mergeShares<T extends FitShare>(lists: (T[] | undefined)[], key: (x: T) => string): T[] | undefined {
  const out = new Map<string, T>();
  let any = false;
  for (const list of lists) {
    if (!list) continue;
    any = true;
    for (const x of list) {
      const k = key(x), prev = out.get(k);
      out.set(k, prev ? { ...prev, count: prev.count + x.count, of: prev.of + x.of } : { ...x });
    }
  }
  return any ? [...out.values()] : undefined;
}

/** Merge the summaries of several fits of one model (parameters, backend and notes from the last fit). */
export function mergeFitSummaries(list: FitSummary[], engine: Omit<RunFitSummary, keyof FitSummary>): RunFitSummary {
  const last = list[list.length - 1] ?? { betweenRefits: 'conditioned' as const };
  // a part is counted per fit: a sub-model used in 3 of 672 series in each of 2 fits is 6 of 1344
  const fitsOf = (l: FitSummary) => l.parts?.reduce((m, p) => Math.max(m, p.of), 0) ?? 0;
  const parts = mergeShares(list.map((l) => l.parts), (p) => p.model);
  if (parts) {
    const total = list.reduce((s, l) => s + fitsOf(l), 0);
    for (const p of parts) p.of = total;
  }
  const notes = [...new Set(list.flatMap((l) => l.notes ?? []))];
  return {
    ...last,
    parts,
    fallbacks: mergeShares(list.map((l) => l.fallbacks), (f) => `${f.what}\u0000${f.reason}`),
    notes: notes.length ? notes : undefined,
    ...engine,
  };
}

function pct(x: FitShare): string {
  const s = x.of > 0 ? x.count / x.of : 0;
  // one decimal near the ends, so 7464 of 7476 does not read as "100%"
  return `${(100 * s).toFixed(s < 0.1 || (s > 0.99 && s < 1) ? 1 : 0)}% (${x.count} of ${x.of})`;
}

/** One line per thing a reader must know before trusting the row: large fallbacks, mixtures, frozen forecasts. */
export function fitWarnings(s: RunFitSummary, warnShare = FALLBACK_WARN_SHARE): string[] {
  const out: string[] = [];
  for (const f of s.fallbacks ?? []) {
    if (f.of > 0 && f.count / f.of > warnShare) out.push(`fallback on ${pct(f)}: ${f.what} — ${f.reason}`);
  }
  const parts = (s.parts ?? []).filter((p) => p.count > 0);
  if (parts.length > 1) {
    out.push(`mixture of models: ${parts.sort((a, b) => b.count - a.count).map((p) => `${p.model} ${pct(p)}`).join(', ')}`);
  }
  if (s.frozenOrigins > 0) {
    out.push(`frozen between refits: ${s.frozenOrigins} of ${s.origins} forecast origins used the state of an earlier fit and ignored the periods since`);
  }
  return out;
}

/** A compact one-line account for tables: "2 fits, 18 updates; ingarch 95% (640 of 672)". */
export function fitSummaryLine(s: RunFitSummary): string {
  const bits = [`${s.fits} fit${s.fits === 1 ? '' : 's'}`];
  if (s.updates) bits.push(`${s.updates} update${s.updates === 1 ? '' : 's'}`);
  bits.push(`between refits: ${s.betweenRefits}`);
  if (s.backend) bits.push(`backend ${s.backend}${s.threads ? ` × ${s.threads} thread${s.threads === 1 ? '' : 's'}` : ''}`);
  return bits.join(', ');
}
