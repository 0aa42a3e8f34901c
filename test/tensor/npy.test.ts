import { describe, it, expect } from 'vitest';
import { parseNpy, serializeNpy, readNpy } from '../../src/tensor/npy.js';
import { hasShared, sharedPath } from '../helpers.js';

describe('npy', () => {
  it('round-trips int16 and float32 with shape', () => {
    const a = Int16Array.from([1, -2, 3, 4, 5, 6]);
    const back = parseNpy(serializeNpy(a, [2, 3]));
    expect(back.shape).toEqual([2, 3]);
    expect(back.dtype).toBe('<i2');
    expect(Array.from(back.data as Int16Array)).toEqual([1, -2, 3, 4, 5, 6]);
    const f = Float32Array.from([0.5, 1.25]);
    const fb = parseNpy(serializeNpy(f, [2]));
    expect(Array.from(fb.data as Float32Array)).toEqual([0.5, 1.25]);
  });
  it('reads a Node Buffer that is a view into a larger pool (as readFileSync returns for small files)', () => {
    const bytes = serializeNpy(Float32Array.from([0.5, 1.25, -3]), [3]);
    const pool = Buffer.alloc(bytes.length + 100, 7);
    pool.set(bytes, 37);
    const view = pool.subarray(37, 37 + bytes.length);
    expect(Array.from(parseNpy(view).data as Float32Array)).toEqual([0.5, 1.25, -3]);
  });
  const shared = sharedPath('stshn-chicago-2016-2017/tensors_npy/val.npy');
  it.runIf(hasShared('stshn-chicago-2016-2017/tensors_npy/val.npy'))('reads the shared ST-SHN validation tensor', () => {
    const v = readNpy(shared);
    expect(v.shape).toEqual([14, 12, 30, 4]);
    let total = 0;
    for (const x of v.data as Int16Array) total += x;
    expect(total).toBe(14035);
  });
});
