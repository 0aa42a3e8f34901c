/** Time as the scheduler sees it, so tests can drive it with a fake clock instead of waiting. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => { const h = setTimeout(fn, ms); h.unref(); return h; },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};
