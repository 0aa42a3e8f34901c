/** Messages between a job worker process and the thread that runs its jobs. */
export type ToThread = { type: 'run'; seq: number; kind: string; params: unknown };
export type FromThread =
  | { type: 'progress'; seq: number; fraction: number; message?: string }
  | { type: 'result'; seq: number; result: unknown }
  | { type: 'error'; seq: number; message: string; input: boolean };
export interface ThreadInit { store?: string }
