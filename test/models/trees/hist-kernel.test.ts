import { describe, expect, it } from 'vitest';
import { HistKernel } from '../../../src/models/trees/hist-kernel.js';
import { BIN_SLOTS, MISSING_BIN } from '../../../src/models/trees/binning.js';
import { Rng } from '../../../src/util/rng.js';

describe('HistKernel (WebAssembly histogram)', () => {
  it('sums g, h and counts per bin over a node’s rows, as a plain loop does', () => {
    const nRows = 1001, nCols = 5, rng = new Rng(3);
    const nBins = Uint16Array.of(255, 7, 2, 40, 1);
    const binned = new Uint8Array(nRows * nCols); // column-major
    for (let f = 0; f < nCols; f++) for (let i = 0; i < nRows; i++) {
      binned[f * nRows + i] = rng.random() < 0.1 ? MISSING_BIN : rng.int(nBins[f]);
    }
    const g = new Float64Array(nRows), h = new Float64Array(nRows);
    for (let i = 0; i < nRows; i++) { g[i] = rng.normal(0, 1); h[i] = rng.random(); }
    const kernel = HistKernel.create(binned, nRows, nCols)!;
    expect(kernel).not.toBeNull();
    kernel.setGradients(g, h);
    // an odd-sized node of scattered rows (ascending, as the grower keeps them)
    const rows = new Uint32Array(nRows);
    let m = 0;
    for (let i = 0; i < nRows; i++) if (rng.random() < 0.6) rows[m++] = i;
    const start = 3, end = m - 2;
    const size = nCols * BIN_SLOTS * 3, got = new Float64Array(size).fill(NaN);
    kernel.build(got, rows, start, end, nBins);
    const want = new Float64Array(size);
    for (let k = start; k < end; k++) {
      const r = rows[k];
      for (let f = 0; f < nCols; f++) {
        const i = (f * BIN_SLOTS + binned[f * nRows + r]) * 3;
        want[i] += g[r]; want[i + 1] += h[r]; want[i + 2] += 1;
      }
    }
    let total = 0;
    for (let f = 0; f < nCols; f++) {
      for (const b of [...Array(nBins[f]).keys(), MISSING_BIN]) {
        const i = (f * BIN_SLOTS + b) * 3;
        expect(got[i + 2]).toBe(want[i + 2]);
        expect(got[i]).toBeCloseTo(want[i], 10);
        expect(got[i + 1]).toBeCloseTo(want[i + 1], 10);
        total += got[i + 2];
      }
      // bins beyond the feature's range hold zeros (every slot is written; the grower never reads these)
      if (nBins[f] < 254) expect(got[(f * BIN_SLOTS + nBins[f]) * 3 + 2]).toBe(0);
    }
    expect(total).toBe(nCols * (end - start));
    // the next tree's gradients replace the previous ones
    kernel.setGradients(g.map((v) => 2 * v), h);
    const again = new Float64Array(size);
    kernel.build(again, rows, start, end, nBins);
    expect(again[(3 * BIN_SLOTS + 5) * 3]).toBeCloseTo(2 * got[(3 * BIN_SLOTS + 5) * 3], 10);
  });

  it('partitions a node’s rows stably by a split, missing rows to the side asked', () => {
    const nRows = 3001, nCols = 3, rng = new Rng(4);
    const binned = new Uint8Array(nRows * nCols);
    for (let i = 0; i < binned.length; i++) binned[i] = rng.random() < 0.1 ? MISSING_BIN : rng.int(50);
    const kernel = HistKernel.create(binned, nRows, nCols)!;
    for (const missLeft of [0, 1]) {
      const rows = Uint32Array.from({ length: nRows }, (_, i) => i).filter((i) => i % 3 !== 1);
      const start = 5, end = rows.length - 7, f = 2, bin = 20;
      const goes = (r: number): boolean => { const b = binned[f * nRows + r]; return b === MISSING_BIN ? missLeft === 1 : b <= bin; };
      const seg = Array.from(rows.subarray(start, end));
      const want = [...Array.from(rows.subarray(0, start)), ...seg.filter(goes), ...seg.filter((r) => !goes(r)), ...Array.from(rows.subarray(end))];
      // in the kernel's own row buffer (partitioned where it lies) and in a plain array (copied in and out)
      const resident = kernel.rowBuffer(rows.length);
      resident.set(rows);
      for (const r of [rows, resident]) {
        const mid = kernel.partition(r, start, end, f, bin, missLeft);
        expect(mid).toBe(start + seg.filter(goes).length);
        expect(Array.from(r)).toEqual(want);
      }
    }
  });

  it('builds the same bits with a worker thread summing half the features of a large node', () => {
    const nRows = 9001, nCols = 5, rng = new Rng(6);
    const nBins = Uint16Array.of(255, 7, 2, 40, 30);
    const binned = new Uint8Array(nRows * nCols);
    for (let f = 0; f < nCols; f++) for (let i = 0; i < nRows; i++) {
      binned[f * nRows + i] = rng.random() < 0.1 ? MISSING_BIN : rng.int(nBins[f]);
    }
    const g = new Float64Array(nRows), h = new Float64Array(nRows);
    for (let i = 0; i < nRows; i++) { g[i] = rng.normal(0, 1); h[i] = rng.random(); }
    const rows = Uint32Array.from({ length: nRows }, (_, i) => i).filter((i) => i % 5 !== 2); // 7201 ≥ 4096 rows
    const size = nCols * BIN_SLOTS * 3, one = new Float64Array(size), two = new Float64Array(size);
    const k1 = HistKernel.create(binned, nRows, nCols, 1)!, k2 = HistKernel.create(binned, nRows, nCols, 2)!;
    try {
      for (const [k, out] of [[k1, one], [k2, two]] as const) { k.setGradients(g, h); k.build(out, rows, 1, rows.length, nBins); }
      expect(Array.from(two)).toEqual(Array.from(one));
      // rows in the kernel's own buffer are summed where they lie, to the same bits
      const resident = k2.rowBuffer(rows.length), three = new Float64Array(size);
      resident.set(rows);
      k2.build(three, resident, 1, rows.length, nBins);
      expect(Array.from(three)).toEqual(Array.from(one));
      // every feature was summed (the worker's half too): each holds all the node's rows
      for (let f = 0; f < nCols; f++) {
        let c = 0;
        for (const b of [...Array(nBins[f]).keys(), MISSING_BIN]) c += two[(f * BIN_SLOTS + b) * 3 + 2];
        expect(c).toBe(rows.length - 1);
      }
    } finally {
      k2.close();
    }
  });
});
