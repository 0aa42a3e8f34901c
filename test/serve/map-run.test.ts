import { describe, expect, it } from 'vitest';
import { DEFAULT_MAP_LIMITS } from '../../src/serve/services/map-limits.js';
import { MapRunner } from '../../src/serve/services/map-run.js';

describe('map runner slots', () => {
  it('runs `concurrent` at once, queues `queue` more in order, and refuses the rest with 503 before they load anything', async () => {
    const runner = new MapRunner({ ...DEFAULT_MAP_LIMITS, concurrent: 1, queue: 1 }, false);
    const order: string[] = [];
    let release!: () => void;
    const first = runner.slot(async () => { order.push('first starts'); await new Promise<void>((r) => { release = r; }); order.push('first ends'); });
    const second = runner.slot(async () => { order.push('second starts'); });
    let loaded = false;
    await expect(runner.slot(async () => { loaded = true; })).rejects.toMatchObject({ status: 503, message: 'the server is busy with 1 map analyses and 1 waiting' });
    expect(loaded).toBe(false);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first starts', 'first ends', 'second starts']);
    // a failing job frees its slot
    await expect(runner.slot(async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    await expect(runner.slot(async () => 'ok')).resolves.toBe('ok');
  });

  it('lets one user hold at most `concurrent` slots, running or waiting, so others still get theirs', async () => {
    const runner = new MapRunner({ ...DEFAULT_MAP_LIMITS, concurrent: 2, queue: 8 }, false);
    const gates: (() => void)[] = [];
    const hold = () => new Promise<void>((r) => gates.push(r));
    const a1 = runner.slot(hold, 'vic'), a2 = runner.slot(hold, 'vic');
    await expect(runner.slot(async () => 'third', 'vic')).rejects.toMatchObject({ status: 429, message: 'you have 2 map analyses running or waiting' });
    const b = runner.slot(async () => 'ana runs', 'ana');
    gates.forEach((g) => g());
    await Promise.all([a1, a2]);
    await expect(b).resolves.toBe('ana runs');
    await expect(runner.slot(async () => 'again', 'vic')).resolves.toBe('again');
  });
});
