/**
 * Each model's measured standing on the shipped benchmarks, as `crimecast models` shows it. The file is written by
 * `node bench/standings.mjs` from real backtests (never by hand): per protocol, each model's headline metrics beside
 * the long-run baseline's, with the paired 95% CI deciding better / worse / tie.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const STANDINGS_FILE = fileURLToPath(new URL('../../data/model-standings.json', import.meta.url));

export interface MetricStanding {
  value: number;
  reference: number;
  /** value / reference − 1. */
  relative: number;
  /** From the paired bootstrap CI of the difference: does it exclude 0, and in which direction. */
  verdict: 'better' | 'worse' | 'tie';
}

export interface Standings {
  generatedAt: string;
  command: string;
  protocol: string;
  description: string;
  reference: string;
  /** By model name (the registry name; the spec that was run is kept in `spec`). */
  models: Record<string, { spec: string; metrics: Record<string, MetricStanding>; warnings?: string[] }>;
}

export function readStandings(path = STANDINGS_FILE): Standings | null {
  if (!existsSync(path)) return null;
  return JSON.parse(readFileSync(path, 'utf8')) as Standings;
}

/** "st-hsl: MAE +37% (worse), logScore +5% (worse), PAI@1% −1% (tie) vs historical-average". */
export function standingLine(s: Standings, model: string): string {
  const m = s.models[model];
  if (!m) return `${s.protocol}: not measured`;
  if (model === s.reference) return `${s.protocol}: the reference (long-run baseline)`;
  const parts = Object.entries(m.metrics).map(([name, x]) => {
    const pct = 100 * x.relative;
    return `${name.replace(/\/all$/, '')} ${pct >= 0 ? '+' : '−'}${Math.abs(pct).toFixed(pct !== 0 && Math.abs(pct) < 1 ? 1 : 0)}% (${x.verdict})`;
  });
  // the first warning (e.g. "fallback on 95%: INGARCH instead of ets") says what the measured row really was
  const warn = m.warnings?.find((w) => w.startsWith('fallback')) ?? m.warnings?.[0];
  return `${s.protocol}: ${parts.join(', ')} vs ${s.reference}${warn ? `; ⚠ ${warn.length > 120 ? `${warn.slice(0, 117)}…` : warn}` : ''}`;
}
