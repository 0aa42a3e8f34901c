import { describe, expect, it } from 'vitest';
import { startProgress } from '../../src/cli/progress.js';

describe('progress off a terminal', () => {
  it('prints a line every 15 s with the share done and an ETA, and a closing line', () => {
    let t = 0;
    const lines: string[] = [];
    const p = startProgress('backtest', 4, { tty: false, write: (l) => lines.push(l), now: () => t });
    t = 500; p.update(0.5, 4, 'kde');
    t = 16_000; p.update(1, 4, 'kde'); // 25% after 16 s: 48 s left
    t = 20_000; p.update(2, 4, 'kde'); // within 15 s of the last line: quiet
    t = 40_000; p.update(3, 4, 'ets');
    t = 50_000; p.stop();
    expect(lines).toEqual([
      'backtest: 25% (1/4) kde · 16 s elapsed · about 48 s left',
      'backtest: 75% (3/4) ets · 40 s elapsed · about 13 s left',
      'backtest: done in 50 s',
    ]);
  });
  it('says nothing for work that ends quickly', () => {
    const lines: string[] = [];
    const p = startProgress('x', 1, { tty: false, write: (l) => lines.push(l), now: () => 0 });
    p.update(1); p.stop();
    expect(lines).toEqual([]);
  });
});
