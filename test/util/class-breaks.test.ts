import { describe, expect, it } from 'vitest';
import { classBreaks, classLabels, classOf } from '../../src/util/class-breaks.js';

describe('map class breaks', () => {
  it('break at the top 1%, 5%, 20% and 50% of regions (the top half of 1..100 starts at 51)', () => {
    const v = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(classBreaks(v)).toEqual({ breaks: [51, 81, 96, 100], shares: [0.5, 0.2, 0.05, 0.01] });
    expect([classOf(10, [51, 81, 96, 100]), classOf(81, [51, 81, 96, 100]), classOf(100, [51, 81, 96, 100])]).toEqual([0, 2, 4]);
  });
  it('zero-risk regions never get a coloured class, and the labels say what each class is', () => {
    const v = [...new Array(90).fill(0), ...Array.from({ length: 10 }, (_, i) => i + 1)];
    const { breaks, shares } = classBreaks(v);
    expect({ breaks, shares }).toEqual({ breaks: [6, 10], shares: [0.05, 0.01] });
    expect(classLabels(breaks, shares, String)).toEqual(['< 6 (the rest)', '6 – 10 (top 5%)', '≥ 10 (top 1%)']);
    expect(classLabels([], [], String)).toEqual(['0 everywhere']);
  });
});
