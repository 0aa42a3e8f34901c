/**
 * What a job can be: each kind names a zod schema for its parameters and the function that runs it inside a
 * worker thread. Kinds register themselves on import (kinds/all.ts imports every one), like forecasters do.
 */
import type { z } from 'zod';
import { UserError } from '../../util/errors.js';

export interface JobContext {
  /** Report progress in [0, 1]; the worker forwards it to the queue (throttled). */
  progress(fraction: number, message?: string): void;
  /** The store URL the worker was started with (jobs that read a dataset default to it). */
  store?: string;
  /** Per-thread cache that survives between jobs on the same thread (e.g. a dataset many backtests share). */
  cache: Map<string, unknown>;
}

export interface JobKind<P = unknown> {
  kind: string;
  description: string;
  params: z.ZodType<P>;
  /** Returns a JSON-serialisable result, stored in the database under the job id. */
  run(params: P, ctx: JobContext): Promise<unknown>;
}

const KINDS = new Map<string, JobKind<any>>();

export function registerJobKind<P>(k: JobKind<P>): void {
  if (KINDS.has(k.kind)) throw new Error(`job kind "${k.kind}" registered twice`);
  KINDS.set(k.kind, k);
}

export function getJobKind(kind: string): JobKind<unknown> {
  const k = KINDS.get(kind);
  if (!k) throw new UserError(`unknown job kind "${kind}"`, `known kinds: ${[...KINDS.keys()].join(', ') || '(none registered: import src/jobs/kinds/all.js)'}`);
  return k;
}

export function listJobKinds(): { kind: string; description: string }[] {
  return [...KINDS.values()].map((k) => ({ kind: k.kind, description: k.description }));
}

/** Parameters checked against the kind's schema; errors name the kind and the offending fields. */
export function parseJobParams(kind: string, params: unknown): unknown {
  const r = getJobKind(kind).params.safeParse(params);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || '(params)'}: ${i.message}`).join('; ');
    throw new UserError(`bad parameters for a ${kind} job: ${issues}`);
  }
  return r.data;
}
