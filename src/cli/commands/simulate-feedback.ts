/**
 * `crimecast simulate-feedback`: runaway feedback loops of predictive policing and their corrections, in Ensign et
 * al.'s Pólya-urn model or on a set of regions with true rates taken from real counts.
 */
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { renderHtmlReport } from '../../evaluate/report/html.js';
import type { ReportSection } from '../../evaluate/report/types.js';
import { CORRECTION_TEXT, FEEDBACK_CORRECTIONS, type FeedbackCorrection } from '../../responsible/feedback/corrections.js';
import { spatialFeedbackSection, urnSection } from '../../responsible/feedback/report.js';
import { simulateSpatialFeedback, type SpatialFeedbackResult } from '../../responsible/feedback/spatial.js';
import { simulateUrn, urnReplicates, type UrnPolicy, type UrnResult } from '../../responsible/feedback/urn.js';
import { readTensorFile } from '../../tensor/io.js';
import { loadStshnBenchmark } from '../../tensor/stshn.js';
import type { CountTensor } from '../../tensor/count-tensor.js';
import { Rng } from '../../util/rng.js';
import { UserError } from '../../util/errors.js';
import { emit } from '../output.js';

interface Options {
  model: string;
  rounds?: string;
  correction: string;
  epsilon: string;
  seed: string;
  policy: string;
  rates?: string;
  replicates: string;
  tensor?: string;
  stshn?: string;
  rateWindow: string;
  regions: string;
  k?: string;
  window: string;
  reportedShare: string;
  detection: string;
  json?: boolean;
  report?: string;
}

function num(name: string, text: string, check: (v: number) => boolean, what: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || !check(v)) throw new UserError(`--${name} must be ${what} (got "${text}")`);
  return v;
}

function corrections(text: string): FeedbackCorrection[] {
  if (text === 'all') return [...FEEDBACK_CORRECTIONS];
  const list = text.split(',').map((s) => s.trim());
  for (const c of list) if (!FEEDBACK_CORRECTIONS.includes(c as FeedbackCorrection)) throw new UserError(`unknown correction "${c}"`, 'use none, ipw, explore or all');
  return list as FeedbackCorrection[];
}

/** Mean count per region (summed over categories) over the last `window` periods before `end`. */
function ratesFromTensor(t: CountTensor, end: number, window: number): Float64Array {
  const R = t.regions, C = t.categories, from = Math.max(0, end - window), n = end - from;
  if (n < 1) throw new UserError('no periods to estimate true rates from');
  const rates = new Float64Array(R);
  for (let p = from; p < end; p++) for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) rates[r] += t.data[(p * R + r) * C + c] / n;
  return rates;
}

export function register(program: Command): void {
  program
    .command('simulate-feedback')
    .description('simulate the feedback loop of forecast-driven patrols (Ensign et al. 2018) and its corrections')
    .requiredOption('--model <m>', 'urn (Pólya urn, two or more regions) | spatial (top-k patrols over regions)')
    .option('--rounds <n>', 'rounds to simulate (default: urn 10000, spatial 120)')
    .option('--correction <c>', 'none | ipw | explore | all | a comma list', 'all')
    .option('--epsilon <e>', 'share of randomised patrols for --correction explore', '0.1')
    .option('--seed <n>', 'random seed', '1')
    .option('--policy <p>', 'urn: proportional | greedy', 'proportional')
    .option('--rates <list>', 'urn: discovery probability per visit for each region', '0.6,0.3')
    .option('--replicates <n>', 'urn: independent runs summarised (leader shares, mean divergence)', '100')
    .option('--tensor <file>', 'spatial: true rates from a count tensor written by `crimecast tensor`')
    .option('--stshn <dir>', 'spatial: true rates from the ST-SHN Chicago tensors (folder with trn/val/tst.npy), end of training')
    .option('--rate-window <n>', 'spatial: periods averaged for the true rates (a moving average)', '30')
    .option('--regions <n>', 'spatial without --tensor/--stshn: synthetic regions with Gamma(2, 1.5) rates', '100')
    .option('--k <n>', 'spatial: patrol units = regions patrolled per round (default: 10% of regions)')
    .option('--window <n>', 'spatial: forecaster moving-average window in rounds', '30')
    .option('--reported-share <p>', 'spatial: share of incidents reported by victims regardless of patrols', '0.5')
    .option('--detection <p>', 'spatial: probability one patrol unit discovers an unreported incident', '0.8')
    .option('--json', 'print one JSON object on stdout')
    .option('--report <file.html>', 'write an HTML report with line charts over rounds')
    .action((o: Options) => {
      const seed = num('seed', o.seed, Number.isInteger, 'an integer');
      const epsilon = num('epsilon', o.epsilon, (v) => v > 0 && v <= 1, 'in (0, 1]');
      const list = corrections(o.correction);
      const settings: [string, string][] = [['seed', String(seed)], ['ε (explore)', String(epsilon)]];
      let sections: ReportSection[];
      let result: Record<string, unknown>;
      let human: string;
      if (o.model === 'urn') {
        const rates = o.rates!.split(',').map((s) => num('rates', s, (v) => v >= 0 && v <= 1, 'probabilities in [0, 1]'));
        if (rates.length < 2) throw new UserError('--rates needs at least two regions');
        const policy = o.policy as UrnPolicy;
        if (policy !== 'proportional' && policy !== 'greedy') throw new UserError(`--policy must be proportional or greedy (got "${o.policy}")`);
        const rounds = num('rounds', o.rounds ?? '10000', (v) => Number.isInteger(v) && v >= 1, 'a positive integer');
        const reps = num('replicates', o.replicates, (v) => Number.isInteger(v) && v >= 1, 'a positive integer');
        const runs: UrnResult[] = list.map((correction) => simulateUrn({ rates, rounds, policy, correction, epsilon, seed }));
        const summaries = list.map((correction) => ({ correction, ...urnReplicates({ rates, rounds, policy, correction, epsilon, seed }, reps) }));
        settings.push(['rates', rates.join(', ')], ['policy', policy], ['rounds', String(rounds)], ['replicates', String(reps)]);
        sections = [urnSection(runs, settings)];
        result = { model: 'urn', rates, policy, rounds, epsilon, seed, runs, replicates: summaries };
        human = [`Pólya urn, ${policy} policy, true shares ${runs[0].trueShares.map((v) => v.toFixed(3)).join(' / ')}, ${rounds} rounds, ${reps} replicates:`,
          ...summaries.map((s) => `  ${s.correction.padEnd(8)} mean final shares ${s.meanFinalShares.map((v) => v.toFixed(3)).join(' / ')}  ` +
            `TV ${s.meanInitialDivergence.toFixed(3)} → ${s.meanFinalDivergence.toFixed(3)}  leader shares ${s.leaderShare.map((v) => v.toFixed(2)).join(' / ')}`)].join('\n');
      } else if (o.model === 'spatial') {
        const rw = num('rate-window', o.rateWindow, (v) => Number.isInteger(v) && v >= 1, 'a positive integer');
        let trueRates: Float64Array, source: string;
        if (o.tensor) {
          const t = readTensorFile(o.tensor);
          trueRates = ratesFromTensor(t, t.periods, rw); source = `${o.tensor}: mean of the last ${rw} periods`;
        } else if (o.stshn) {
          const b = loadStshnBenchmark(o.stshn);
          trueRates = ratesFromTensor(b.tensor, b.splits.trn[1], rw); source = `ST-SHN Chicago: mean of the last ${rw} training days`;
        } else {
          const n = num('regions', o.regions, (v) => Number.isInteger(v) && v >= 2, 'an integer ≥ 2');
          const rng = new Rng(seed + 1_000_003);
          trueRates = Float64Array.from({ length: n }, () => rng.gamma(2, 1.5)); source = `synthetic: ${n} regions, Gamma(2, 1.5) rates`;
        }
        const R = trueRates.length;
        const k = o.k ? num('k', o.k, (v) => Number.isInteger(v) && v >= 1 && v <= R, `an integer in [1, ${R}]`) : Math.max(1, Math.round(0.1 * R));
        const rounds = num('rounds', o.rounds ?? '120', (v) => Number.isInteger(v) && v >= 1, 'a positive integer');
        const window = num('window', o.window, (v) => Number.isInteger(v) && v >= 1, 'a positive integer');
        const reportedShare = num('reported-share', o.reportedShare, (v) => v >= 0 && v <= 1, 'in [0, 1]');
        const detection = num('detection', o.detection, (v) => v >= 0 && v <= 1, 'in [0, 1]');
        const runs: SpatialFeedbackResult[] = list.map((correction) =>
          simulateSpatialFeedback({ trueRates, k, rounds, window, reportedShare, detection, correction, epsilon, seed }));
        settings.push(['true rates', source], ['regions', String(R)], ['patrol units k', String(k)], ['rounds', String(rounds)],
          ['forecaster', `moving average over ${window} rounds`], ['reported share ρ', String(reportedShare)], ['detection β', String(detection)]);
        sections = [spatialFeedbackSection(runs, settings)];
        result = { model: 'spatial', source, regions: R, k, rounds, window, reportedShare, detection, epsilon, seed, runs };
        const last = (a: number[]) => a[a.length - 1];
        human = [`spatial feedback loop over ${R} regions (${source}), k = ${k}, ${rounds} rounds:`,
          ...runs.map((r) => `  ${r.correction.padEnd(8)} belief TV ${r.beliefDivergence[0].toFixed(3)} → ${last(r.beliefDivergence).toFixed(3)}  ` +
            `capture ratio ${last(r.captureRatio).toFixed(3)}  presence Gini ${last(r.presenceGini).toFixed(3)}   (${CORRECTION_TEXT[r.correction]})`)].join('\n');
      } else throw new UserError(`unknown --model "${o.model}"`, 'use urn or spatial');
      if (o.report) {
        writeFileSync(o.report, renderHtmlReport({ title: 'CrimeCast feedback-loop simulation', generatedAt: new Date().toISOString(), sections }));
        result.report = o.report;
      }
      emit(!!o.json, result, () => human + (o.report ? `\nreport → ${o.report}` : ''));
    });
}
