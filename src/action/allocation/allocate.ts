/** Patrol allocation per shift: the exact greedy when only a budget and bounds apply, the MIP otherwise. */
import { greedyAllocate } from './greedy.js';
import { mipAllocate } from './mip.js';
import type { AllocationProblem, AllocationResult } from './problem.js';

export async function allocate(p: AllocationProblem, opts: { forceMip?: boolean; timeLimitS?: number } = {}): Promise<AllocationResult> {
  const coupled = (p.groups?.length ?? 0) > 0 || p.patrols !== undefined;
  return coupled || opts.forceMip ? mipAllocate(p, opts) : greedyAllocate(p);
}

/** Several shifts with their own expected crime and budgets; shifts are independent (no constraint spans shifts). */
export async function allocateShifts(
  expectedByShift: ArrayLike<number>[], unitsByShift: number[], base: Omit<AllocationProblem, 'expected' | 'units'>,
  opts: { forceMip?: boolean; timeLimitS?: number } = {},
): Promise<AllocationResult[]> {
  const out: AllocationResult[] = [];
  for (let s = 0; s < expectedByShift.length; s++) out.push(await allocate({ ...base, expected: expectedByShift[s], units: unitsByShift[s] }, opts));
  return out;
}
