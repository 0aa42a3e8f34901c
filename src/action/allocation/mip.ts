/**
 * Exact allocation with coupling constraints (group caps, travel reach) as a mixed-integer program solved by HiGHS
 * (WebAssembly build, npm `highs`).
 *
 * The concave objective is written as decreasing increments: d_r = Σ_j y_rj with 0 ≤ y_rj ≤ 1 continuous and gain
 * g_rj = λ_r (f(j) − f(j−1)). Because g_rj is non-increasing in j, for any integer d_r the best y fills the first
 * d_r increments, so the MIP objective equals Σ λ_r f(d_r) exactly with only d_r (or the patrol choices) integer.
 */
import * as highsModule from 'highs';
import { UserError } from '../../util/errors.js';
import { incrementGain } from './coverage-model.js';
import { coveredBy, resolveBounds, type AllocationProblem, type AllocationResult } from './problem.js';

// the package's types describe a CommonJS default export, while Node's ESM entry exports the loader as `default`
interface Solver {
  solve(lp: string, options?: Record<string, unknown>): { Status: string; Columns: Record<string, { Primal?: number }> };
}
const highsLoader = ((highsModule as unknown as { default?: unknown }).default ?? highsModule) as () => Promise<Solver>;
let solverPromise: Promise<Solver> | null = null;
function solver(): Promise<Solver> {
  if (!solverPromise) solverPromise = highsLoader();
  return solverPromise;
}

const num = (v: number): string => (Number.isInteger(v) ? String(v) : v.toPrecision(15));

/** The CPLEX-LP text of the problem (exposed for tests and debugging). */
export function allocationLp(p: AllocationProblem): string {
  const { lo, hi, budget } = resolveBounds(p);
  const R = lo.length;
  const obj: string[] = [], cons: string[] = [], bounds: string[] = [], general: string[] = [], binary: string[] = [];
  for (let r = 0; r < R; r++) {
    const link = [`d${r}`];
    for (let j = 1; j <= hi[r]; j++) {
      const g = p.expected[r] * incrementGain(p.model, j);
      if (g !== 0) obj.push(`${g >= 0 ? '+' : '-'} ${num(Math.abs(g))} y${r}_${j}`);
      link.push(`- y${r}_${j}`);
      bounds.push(`0 <= y${r}_${j} <= 1`);
    }
    cons.push(`link${r}: ${link.join(' ')} = 0`);
    bounds.push(`${lo[r]} <= d${r} <= ${hi[r]}`);
    general.push(`d${r}`);
  }
  cons.push(`budget: ${Array.from({ length: R }, (_, r) => `+ d${r}`).join(' ')} <= ${budget}`);
  (p.groups ?? []).forEach((g, k) => {
    const terms: string[] = [];
    for (let r = 0; r < R; r++) if (g.weights[r] !== 0) terms.push(`${g.weights[r] >= 0 ? '+' : '-'} ${num(Math.abs(g.weights[r]))} d${r}`);
    if (terms.length) cons.push(`group${k}: ${terms.join(' ')} <= ${num(g.maxShare * budget)}`);
  });
  if (p.patrols) {
    const byRegion: string[][] = Array.from({ length: R }, () => []);
    p.patrols.reach.forEach((reach, u) => {
      if (reach.length === 0) throw new UserError(`patrol ${u} can reach no region`);
      const terms: string[] = [];
      for (const r of reach) {
        if (r < 0 || r >= R) throw new UserError(`patrol ${u} reaches region ${r}, outside [0, ${R})`);
        terms.push(`+ x${u}_${r}`);
        byRegion[r].push(`- x${u}_${r}`);
        binary.push(`x${u}_${r}`);
      }
      // every patrol is deployed somewhere it can reach (a deployed patrol adds dosage even when its gain is 0)
      cons.push(`patrol${u}: ${terms.join(' ')} = 1`);
    });
    for (let r = 0; r < R; r++) cons.push(`reach${r}: d${r} ${byRegion[r].join(' ')} = 0`);
  }
  return [
    'Maximize', ` obj: ${obj.length ? obj.join(' ') : '0 d0'}`,
    'Subject To', ...cons.map((c) => ` ${c}`),
    'Bounds', ...bounds.map((b) => ` ${b}`),
    'General', ` ${general.join(' ')}`,
    ...(binary.length ? ['Binary', ` ${binary.join(' ')}`] : []),
    'End',
  ].join('\n');
}

export async function mipAllocate(p: AllocationProblem, opts: { timeLimitS?: number } = {}): Promise<AllocationResult> {
  const lp = allocationLp(p);
  const highs = await solver();
  const sol = highs.solve(lp, { time_limit: opts.timeLimitS ?? 60, output_flag: false, mip_rel_gap: 1e-9 });
  if (sol.Status !== 'Optimal') {
    if (sol.Status === 'Infeasible') throw new UserError('the allocation constraints cannot all be met', 'loosen the group caps, the minimum dosages or the travel reach');
    throw new UserError(`the MIP solver stopped with status "${sol.Status}"`);
  }
  const R = p.expected.length;
  const cols = sol.Columns;
  const dosage = new Int32Array(R);
  for (let r = 0; r < R; r++) dosage[r] = Math.round(cols[`d${r}`]?.Primal ?? 0);
  let patrolRegion: Int32Array | undefined;
  if (p.patrols) {
    patrolRegion = new Int32Array(p.patrols.reach.length).fill(-1);
    p.patrols.reach.forEach((reach, u) => {
      for (const r of reach) if (Math.round(cols[`x${u}_${r}`]?.Primal ?? 0) === 1) patrolRegion![u] = r;
    });
  }
  return { dosage, covered: coveredBy(p, dosage), method: 'mip', patrolRegion };
}
