/** Report sections for the feedback-loop simulations: line charts of divergence and concentration over rounds. */
import type { ReportChart, ReportSection } from '../../evaluate/report/types.js';
import { CORRECTION_TEXT } from './corrections.js';
import type { SpatialFeedbackResult } from './spatial.js';
import type { UrnResult } from './urn.js';

const f3 = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '–');

export function spatialFeedbackSection(runs: SpatialFeedbackResult[], settings: [string, string][] = []): ReportSection {
  const chart = (title: string, yLabel: string, pick: (r: SpatialFeedbackResult) => number[]): ReportChart => ({
    title, xLabel: 'round', yLabel,
    series: runs.map((r) => ({ name: r.correction, x: r.round, y: pick(r) })),
  });
  const last = (a: number[]) => a[a.length - 1];
  return {
    heading: 'Feedback loop: patrols to the top-k regions, retrained on what they record',
    paragraphs: [
      'Patrols go to the regions the forecaster ranks highest; they discover unreported incidents there, and the ' +
      'forecaster is retrained on the record. Belief divergence is the total-variation distance between the ' +
      "forecaster's risk shares and the true-rate shares (0 = the forecaster believes the truth).",
      ...runs.map((r) => `${r.correction} (${CORRECTION_TEXT[r.correction]}): belief divergence ${f3(r.beliefDivergence[0])} after the ` +
        `warm-up → ${f3(last(r.beliefDivergence))} after ${last(r.round)} rounds; capture ratio ${f3(last(r.captureRatio))}; ` +
        `Gini of cumulative patrol presence ${f3(last(r.presenceGini))}.`),
    ],
    facts: settings,
    charts: [
      chart('Belief divergence TV(risk shares, true shares)', 'total variation', (r) => r.beliefDivergence),
      chart('Belief divergence KL(true shares ‖ risk shares)', 'nats', (r) => r.beliefKL),
      chart('Allocation divergence TV(patrol shares, true shares)', 'total variation', (r) => r.allocationDivergence),
      chart('Capture ratio (true crime patrolled / best top-k)', 'ratio', (r) => r.captureRatio),
      chart('Concentration: Gini of cumulative patrol presence', 'Gini', (r) => r.presenceGini),
    ],
  };
}

export function urnSection(runs: UrnResult[], settings: [string, string][] = []): ReportSection {
  return {
    heading: 'Feedback loop: the Pólya-urn model (Ensign et al. 2018)',
    paragraphs: [
      `True shares ${runs[0]?.trueShares.map(f3).join(' / ')}. Divergence is the total-variation distance between the urn ` +
      '(recorded incidents) and the true-rate shares.',
      ...runs.map((r) => `${r.policy}, ${r.correction}: final urn shares ${r.finalShares.map(f3).join(' / ')}, ` +
        `visit shares ${r.visitShares.map(f3).join(' / ')}, divergence ${f3(r.divergence[r.divergence.length - 1])}.`),
    ],
    facts: settings,
    charts: [{
      title: 'Urn divergence from the true rates', xLabel: 'round', yLabel: 'total variation', logX: false,
      series: runs.map((r) => ({ name: `${r.policy}/${r.correction}`, x: r.rounds, y: r.divergence })),
    }],
  };
}
