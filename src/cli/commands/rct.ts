/**
 * `crimecast rct`: randomised controlled trials of patrol strategies.
 *   design   — randomise units (simple / complete / blocked / stratified by baseline crime), write the assignment
 *              CSV and a power table (closed form, Zhu & Lakkis 2014, and by simulation).
 *   analyse  — rate ratio with CI (NB/Poisson GLM adjusted for baseline), randomisation-test p-value, and the
 *              displacement / diffusion check on neighbours.
 *   demo     — the whole loop on the real Chicago tensor with a known effect injected (binomial thinning).
 */
import type { Command } from 'commander';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sharedDataRoot } from '../../evaluate/protocols/data-dir.js';
import { parse } from 'csv-parse/sync';
import { designTrial, type DesignOptions, type RandomisationScheme } from '../../action/rct/design.js';
import { analyseTrial, type TrialAnalysis } from '../../action/rct/analyse.js';
import { closedFormPower, sampleSize } from '../../action/rct/power.js';
import { simulatedPower } from '../../action/rct/simulated-power.js';
import { activeRegions, placeboDispersion, realDataPower, regionTotals, simulateChicagoTrial, subsetAdjacency } from '../../action/rct/chicago-trial.js';
import { assignmentCsv, readAssignmentCsv, readOutcomesCsv } from '../../action/rct/trial-io.js';
import { loadStshnBenchmark } from '../../tensor/stshn.js';
import { buildStshnGrid } from '../../space/stshn-grid.js';
import { adjacencyFromLists, type Adjacency } from '../../space/units.js';
import { Rng } from '../../util/rng.js';
import { UserError } from '../../util/errors.js';
import { emit } from '../output.js';

// resolved like every benchmark path ($CRIMECAST_SHARED_DATA or ../shared/data beside the package), not against the current folder
const DEFAULT_STSHN = join(sharedDataRoot(), 'stshn-chicago-2016-2017', 'tensors_npy');
const SCHEMES = ['simple', 'complete', 'blocked', 'stratified'];

function num(name: string, v: string | undefined, lo: number, hi: number, integer = false): number {
  const x = Number(v);
  if (v === undefined || !Number.isFinite(x) || x < lo || x > hi || (integer && !Number.isInteger(x))) throw new UserError(`--${name} must be ${integer ? 'an integer' : 'a number'} in [${lo}, ${hi}], got "${v}"`);
  return x;
}

interface DesignCli {
  baseline?: string; stshn?: string; start: string; baselineDays: string; trialDays: string; minBaseline: string;
  scheme: string; pTreat: string; blockSize: string; strata: string; seed: string;
  effects: string; dispersion?: string; simulate: string; out?: string; powerOut?: string; json?: boolean;
}

function designOptions(o: { scheme: string; pTreat: string; blockSize: string; strata: string; seed: string }): DesignOptions {
  if (!SCHEMES.includes(o.scheme)) throw new UserError(`--scheme must be one of ${SCHEMES.join(', ')}`);
  return { scheme: o.scheme as RandomisationScheme, pTreat: num('p-treat', o.pTreat, 0.01, 0.99), blockSize: num('block-size', o.blockSize, 2, 1e6, true), strata: num('strata', o.strata, 1, 1e6, true), seed: num('seed', o.seed, 0, 2 ** 32, true) };
}

function analysisText(a: TrialAnalysis): string {
  const e = a.effect, f = (v: number) => v.toFixed(3);
  const lines = [
    `units: ${a.nTreated} treated, ${a.nControl} control`,
    `rate ratio (treated / control, ${e.family} GLM adjusted for baseline): ${f(e.rateRatio)}  95% CI [${f(e.lo)}, ${f(e.hi)}]  Wald p = ${e.pWald.toPrecision(3)}  (NB k = ${e.dispersion.toFixed(3)})`,
    `randomisation test (difference-in-differences log rate ratio ${f(a.randomisation.statistic)}): p = ${a.randomisation.p.toPrecision(3)} over ${a.randomisation.B} redraws`,
  ];
  if (a.spillover) lines.push(`spillover (control cells next to treatment vs away from it): rate ratio ${f(a.spillover.rateRatio)}, p = ${a.spillover.p.toPrecision(3)} — ${a.spillover.p < 0.05 ? (a.spillover.rateRatio > 1 ? 'evidence of displacement' : 'evidence of diffusion of benefits') : 'no evidence of displacement or diffusion'}`);
  return lines.join('\n');
}

function readNeighbours(path: string, units: string[]): Adjacency {
  const rs = parse(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  const pos = new Map(units.map((u, i) => [u, i]));
  const lists: number[][] = units.map(() => []);
  for (const r of rs) {
    const a = pos.get(r.unit), b = pos.get(r.neighbour);
    if (a !== undefined && b !== undefined && a !== b) { lists[a].push(b); lists[b].push(a); }
  }
  return adjacencyFromLists(lists.map((l) => [...new Set(l)]));
}

export function register(program: Command): void {
  const rct = program.command('rct').description('design and analyse randomised controlled trials of patrol strategies');

  rct.command('design')
    .description('randomise units to treatment and control; write the assignment CSV and a power table')
    .option('--baseline <csv>', 'units and their baseline crime (columns unit, baseline)')
    .option('--stshn <dir>', 'use the Chicago grid cells (ST-SHN tensors_npy folder) as units', undefined)
    .option('--start <day>', 'with --stshn: first trial day (index)', '400')
    .option('--baseline-days <n>', 'days of baseline before the trial', '28')
    .option('--trial-days <n>', 'trial length in days', '28')
    .option('--min-baseline <n>', 'with --stshn: minimum baseline crime for a cell to enter', '5')
    .option('--scheme <s>', `randomisation: ${SCHEMES.join(' | ')}`, 'blocked')
    .option('--p-treat <p>', 'share treated', '0.5')
    .option('--block-size <n>', 'blocked: units per block (2 = matched pairs by baseline)', '2')
    .option('--strata <n>', 'stratified: quantile strata of baseline crime', '4')
    .option('--seed <n>', 'seed', '1')
    .option('--effects <list>', 'rate ratios for the power table', '0.7,0.8,0.9')
    .option('--dispersion <k>', 'NB overdispersion of trial totals given the baseline (estimated from a placebo window with --stshn)')
    .option('--simulate <n>', 'simulated trials per power-table row (0 = closed form only)', '300')
    .option('--out <csv>', 'assignment CSV')
    .option('--power-out <csv>', 'power table CSV')
    .option('--json', 'print one JSON object')
    .action((o: DesignCli) => {
      const dopt = designOptions(o);
      const bd = num('baseline-days', o.baselineDays, 1, 1e5, true), td = num('trial-days', o.trialDays, 1, 1e5, true);
      let units: string[], baseline: Float64Array, k: number | undefined = o.dispersion === undefined ? undefined : num('dispersion', o.dispersion, 0, 1e3);
      let real: ((rr: number) => { power: number; trials: number }) | undefined;
      if (o.stshn || !o.baseline) {
        const dir = o.stshn ?? DEFAULT_STSHN;
        const { tensor } = loadStshnBenchmark(dir);
        const start = num('start', o.start, bd + td, tensor.periods - td, true);
        const minB = num('min-baseline', o.minBaseline, 0, 1e9);
        const all = regionTotals(tensor, start - bd, start);
        const keep = activeRegions(all, minB);
        units = Array.from(keep, String);
        baseline = Float64Array.from(keep, (r) => all[r]);
        k ??= placeboDispersion(tensor, start, bd, td, minB);
        // real-data power: the same design on 40 earlier windows with the effect injected
        const starts = Array.from({ length: 40 }, (_, i) => bd + ((i * 17) % Math.max(1, start - bd - td)));
        real = (rr) => realDataPower(tensor, starts, { baselineDays: bd, trialDays: td, minBaseline: minB, design: dopt, rateRatio: rr }, new Rng(dopt.seed! + 99));
      } else {
        const rs = parse(readFileSync(o.baseline, 'utf8'), { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
        units = rs.map((r) => r.unit);
        baseline = Float64Array.from(rs, (r) => Number(r.baseline));
        if (baseline.some((v) => !Number.isFinite(v) || v < 0)) throw new UserError(`${o.baseline}: baseline must be non-negative numbers`);
        if (k === undefined) throw new UserError('--dispersion is needed with --baseline (the overdispersion of trial totals given the baseline)', 'estimate it from two past windows, or use 0 for Poisson');
      }
      const design = designTrial(baseline, dopt);
      const nT = design.assignment.reduce((a, b) => a + b, 0), nC = units.length - nT;
      const controlRate = baseline.reduce((a, b) => a + b, 0) / units.length / bd;
      const effects = o.effects.split(',').map((s) => num('effects', s.trim(), 0.01, 100));
      const sims = num('simulate', o.simulate, 0, 1e5, true);
      const table = effects.map((rateRatio) => {
        const p = { controlRate, rateRatio, periods: td, dispersion: k!, allocationRatio: nT / nC };
        return {
          rateRatio, nControl: nC, nTreated: nT,
          powerClosedForm: closedFormPower(p, nC),
          powerSimulated: sims > 0 ? simulatedPower(p, nC, { trials: sims, seed: dopt.seed }).power : null,
          powerRealData: real ? real(rateRatio).power : null,
          nControlFor80: rateRatio === 1 ? null : sampleSize(p, 0.8).nControl,
        };
      });
      if (o.out) writeFileSync(o.out, assignmentCsv(units, baseline, design));
      if (o.powerOut) writeFileSync(o.powerOut, ['rate_ratio,n_control,n_treated,power_closed_form,power_simulated,power_real_data,n_control_for_80'].concat(
        table.map((r) => `${r.rateRatio},${r.nControl},${r.nTreated},${r.powerClosedForm.toFixed(4)},${r.powerSimulated ?? ''},${r.powerRealData ?? ''},${r.nControlFor80 ?? ''}`)).join('\n') + '\n');
      emit(!!o.json, { scheme: design.scheme, units: units.length, treated: nT, control: nC, controlRatePerDay: controlRate, trialDays: td, dispersion: k, power: table, out: o.out, powerOut: o.powerOut }, () => [
        `${design.scheme} randomisation of ${units.length} units: ${nT} treated, ${nC} control; control rate ${controlRate.toFixed(3)}/day over ${td} days, NB k = ${k!.toFixed(3)}`,
        'rate ratio  power (closed form)  power (simulated)  power (real data)  controls for 80%',
        ...table.map((r) => `${r.rateRatio.toFixed(2).padStart(10)}  ${r.powerClosedForm.toFixed(3).padStart(19)}  ${(r.powerSimulated?.toFixed(3) ?? '-').padStart(17)}  ${(r.powerRealData?.toFixed(3) ?? '-').padStart(17)}  ${String(r.nControlFor80 ?? '-').padStart(16)}`),
        ...(o.out ? [`assignment written to ${o.out}`] : []),
      ].join('\n'));
    });

  rct.command('analyse')
    .alias('analyze')
    .description('estimate the effect (rate ratio, CI, Wald and randomisation p-values) and check for spillover')
    .requiredOption('--assignment <csv>', 'assignment CSV written by `rct design`')
    .requiredOption('--outcomes <csv>', 'outcomes CSV: unit, outcome [, exposure]')
    .option('--family <f>', 'negbin or poisson', 'negbin')
    .option('--neighbours <csv>', 'unit adjacency (columns unit, neighbour) for the spillover check')
    .option('--stshn-grid', 'units are ST-SHN Chicago grid cells: use the grid adjacency for the spillover check')
    .option('--permutations <B>', 'randomisation-test redraws', '2000')
    .option('--seed <n>', 'seed', '7')
    .option('--json', 'print one JSON object')
    .action((o: { assignment: string; outcomes: string; family: string; neighbours?: string; stshnGrid?: boolean; permutations: string; seed: string; json?: boolean }) => {
      if (o.family !== 'negbin' && o.family !== 'poisson') throw new UserError('--family must be negbin or poisson');
      const { units, baseline, design } = readAssignmentCsv(o.assignment);
      const { y, exposure } = readOutcomesCsv(o.outcomes, units);
      let adjacency: Adjacency | undefined;
      if (o.neighbours) adjacency = readNeighbours(o.neighbours, units);
      else if (o.stshnGrid) {
        const grid = buildStshnGrid();
        const regions = Int32Array.from(units, (u) => { const r = Number(u); if (!Number.isInteger(r) || r < 0 || r >= grid.n) throw new UserError(`unit "${u}" is not a grid cell index`); return r; });
        adjacency = subsetAdjacency(grid.adjacency, regions, grid.n);
      }
      const a = analyseTrial(design, y, { baseline, exposure, adjacency, family: o.family, B: num('permutations', o.permutations, 99, 1e7, true), seed: num('seed', o.seed, 0, 2 ** 32, true) });
      emit(!!o.json, a, () => analysisText(a));
    });

  rct.command('demo')
    .description('design, inject a known effect into the real Chicago counts, and analyse — does the analysis recover it?')
    .option('--stshn <dir>', 'ST-SHN tensors_npy folder', DEFAULT_STSHN)
    .option('--start <day>', 'first trial day', '400')
    .option('--baseline-days <n>', 'baseline days', '28')
    .option('--trial-days <n>', 'trial days', '28')
    .option('--rate-ratio <rr>', 'injected effect on treated cells', '0.8')
    .option('--displacement <p>', 'share of prevented crimes displaced to a neighbouring cell', '0')
    .option('--scheme <s>', 'randomisation scheme', 'blocked')
    .option('--p-treat <p>', 'share treated', '0.5')
    .option('--block-size <n>', 'block size', '2')
    .option('--strata <n>', 'strata', '4')
    .option('--seed <n>', 'seed', '1')
    .option('--permutations <B>', 'randomisation-test redraws', '2000')
    .option('--out-dir <dir>', 'write assignment.csv and outcomes.csv there (inputs for `rct analyse`)')
    .option('--json', 'print one JSON object')
    .action((o: { stshn: string; start: string; baselineDays: string; trialDays: string; rateRatio: string; displacement: string; scheme: string; pTreat: string; blockSize: string; strata: string; seed: string; permutations: string; outDir?: string; json?: boolean }) => {
      // create the output folder first: failing after minutes of work would lose the result
      if (o.outDir) mkdirSync(o.outDir, { recursive: true });
      const { tensor } = loadStshnBenchmark(o.stshn);
      const grid = buildStshnGrid();
      const dopt = designOptions(o);
      const bd = num('baseline-days', o.baselineDays, 1, 1e5, true), td = num('trial-days', o.trialDays, 1, 1e5, true);
      const rr = num('rate-ratio', o.rateRatio, 0.01, 10);
      const tr = simulateChicagoTrial(tensor, {
        start: num('start', o.start, bd, tensor.periods - td, true), baselineDays: bd, trialDays: td, design: dopt,
        rateRatio: rr, displacement: num('displacement', o.displacement, 0, 1), adjacency: grid.adjacency,
      }, new Rng(dopt.seed! + 1));
      const a = analyseTrial(tr.design, tr.y, { baseline: tr.baseline, adjacency: tr.adjacency, B: num('permutations', o.permutations, 99, 1e7, true), seed: dopt.seed });
      if (o.outDir) {
        const units = Array.from(tr.regions, String);
        writeFileSync(resolve(o.outDir, 'assignment.csv'), assignmentCsv(units, tr.baseline, tr.design));
        writeFileSync(resolve(o.outDir, 'outcomes.csv'), ['unit,outcome', ...units.map((u, i) => `${u},${tr.y[i]}`)].join('\n') + '\n');
      }
      emit(!!o.json, { injectedRateRatio: rr, covered: a.effect.lo <= rr && rr <= a.effect.hi, ...a }, () =>
        `injected rate ratio ${rr} into ${a.nTreated} treated Chicago cells (${tr.regions.length} cells with ≥ 5 baseline crimes)\n${analysisText(a)}\n` +
        `the 95% CI ${a.effect.lo <= rr && rr <= a.effect.hi ? 'covers' : 'MISSES'} the injected effect`);
    });
}
