import { describe, expect, it } from 'vitest';
import { RepeatCounter } from '../../src/data/ingest/repeat-counter.js';
import { Rng } from '../../src/util/rng.js';

describe('RepeatCounter', () => {
  it('numbers each content by its occurrences in file order, through many rehashes, like a Map does', () => {
    const rng = new Rng(9);
    const c = new RepeatCounter();
    const seen = new Map<string, number>();
    const want: [number, number][] = [];
    let wrong = 0;
    for (let line = 1; line <= 200_000; line++) {
      // a few thousand contents repeat; lanes that share one half must still count apart
      const a = rng.random() < 0.02 ? Math.floor(rng.random() * 3000) : Math.floor(rng.random() * 2 ** 32);
      const b = a < 3000 ? 7 : Math.floor(rng.random() * 2 ** 32);
      const k = (seen.get(`${a},${b}`) ?? 0) + 1;
      seen.set(`${a},${b}`, k);
      if (k >= 2) want.push([line, k]);
      if (c.add(a >>> 0, b >>> 0, line) !== k) wrong++;
    }
    expect(wrong).toBe(0);
    expect(c.overflowed).toBe(false);
    expect(c.repeats).toBe(want.length);
    expect(want.length).toBeGreaterThan(1000);
    expect(Array.from(c.lines.subarray(0, c.repeats), (l, i) => [l, c.rn[i]])).toEqual(want);
  });

  it('gives up past its limit of distinct contents (the merge then counts in SQL)', () => {
    const c = new RepeatCounter(100);
    for (let i = 0; i < 100; i++) expect(c.add(i, i, i + 1)).toBe(1);
    expect(c.add(5, 5, 101)).toBe(2);
    expect(c.overflowed).toBe(false);
    expect(c.add(1000, 1, 102)).toBe(0);
    expect(c.overflowed).toBe(true);
    expect(c.add(5, 5, 103)).toBe(0);
  });
});
