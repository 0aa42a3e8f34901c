/**
 * The ST-SHN / ST-HSL Chicago benchmark tensors: (rows=14, cols=12, days, 4) arrays split into
 * trn / val / tst, converted to one period-major CountTensor of local days from 2016-01-01 (America/Chicago).
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { binningFromStart } from '../time/bins.js';
import { UserError } from '../util/errors.js';
import { createTensor, type CountTensor } from './count-tensor.js';
import { readNpy, type NpyArray } from './npy.js';

export const STSHN_CATEGORIES = ['THEFT', 'BATTERY', 'ASSAULT', 'CRIMINAL DAMAGE'] as const;
export const STSHN_TZ = 'America/Chicago';
export const STSHN_START = '2016-01-01';

export interface StshnBenchmark {
  tensor: CountTensor;
  /** Period ranges [from, to) of each split: trn 609, val 30, tst 92 days. */
  splits: { trn: [number, number]; val: [number, number]; tst: [number, number] };
}

/** Concatenate (rows, cols, days, C) arrays along days into periods × (rows·cols) × C, region = row·cols + col. */
export function tensorFromStshnNpy(trn: NpyArray, val: NpyArray, tst: NpyArray, opts: { start?: string; tz?: string; categories?: string[] } = {}): CountTensor {
  const parts = [trn, val, tst];
  const [rows, cols, , C] = trn.shape;
  for (const a of parts) {
    if (a.shape.length !== 4 || a.shape[0] !== rows || a.shape[1] !== cols || a.shape[3] !== C) {
      throw new UserError(`ST-SHN arrays must share the shape (rows, cols, days, categories); got ${parts.map((p) => `(${p.shape})`).join(', ')}`);
    }
    if (a.fortranOrder) throw new UserError('ST-SHN arrays must be C-ordered');
    if (a.data instanceof BigInt64Array) throw new UserError('ST-SHN arrays must not be int64');
  }
  const categories = opts.categories ?? [...STSHN_CATEGORIES];
  if (categories.length !== C) throw new UserError(`expected ${categories.length} categories, arrays hold ${C}`);
  const R = rows * cols;
  const days = parts.reduce((s, a) => s + a.shape[2], 0);
  const tz = opts.tz ?? STSHN_TZ;
  const start = opts.start ?? STSHN_START;
  const all = binningFromStart('day', tz, start, days);
  const out = new Float32Array(days * R * C);
  let d0 = 0;
  for (const a of parts) {
    const D = a.shape[2];
    const src = a.data as ArrayLike<number>;
    for (let r = 0; r < R; r++) {
      for (let d = 0; d < D; d++) {
        const s = (r * D + d) * C, o = ((d0 + d) * R + r) * C;
        for (let c = 0; c < C; c++) out[o + c] = src[s + c];
      }
    }
    d0 += D;
  }
  return createTensor({
    periods: days,
    regions: R,
    categories: C,
    categoryNames: categories,
    regionIds: Array.from({ length: R }, (_, i) => String(i)),
    periodStart: Float64Array.from(all.periodStart),
    unit: 'day',
    tz,
  }, out);
}

/** Load {trn,val,tst}.npy from a folder (e.g. shared/data/stshn-chicago-2016-2017/tensors_npy). */
export function loadStshnBenchmark(dir: string): StshnBenchmark {
  const files = ['trn', 'val', 'tst'].map((s) => join(dir, `${s}.npy`));
  for (const f of files) if (!existsSync(f)) throw new UserError(`ST-SHN tensor ${f} not found`, 'point at the tensors_npy folder holding trn.npy, val.npy and tst.npy');
  const [trn, val, tst] = files.map((f) => readNpy(f));
  const tensor = tensorFromStshnNpy(trn, val, tst);
  const a = trn.shape[2], b = a + val.shape[2], c = b + tst.shape[2];
  return { tensor, splits: { trn: [0, a], val: [a, b], tst: [b, c] } };
}
