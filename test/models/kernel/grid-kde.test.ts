import { describe, expect, it } from 'vitest';
import { kdeGrid, kdeGridDetailed, type GridSpec } from '../../../src/models/kernel/grid-kde.js';
import { kernelValue, gaussianToKernelBandwidth, type KernelName } from '../../../src/models/kernel/kernels.js';
import { Rng } from '../../../src/util/rng.js';

const grid: GridSpec = { x0: 0, y0: 0, cell: 10, nx: 101, ny: 101 };
const at = (d: Float64Array, ix: number, iy: number) => d[iy * grid.nx + ix];
const sum = (a: Float64Array) => a.reduce((s, v) => s + v, 0);

describe('kernels', () => {
  it('have the textbook values at the centre', () => {
    expect(kernelValue('gaussian', 0, 100)).toBeCloseTo(1 / (2 * Math.PI * 1e4), 15);
    expect(kernelValue('quartic', 0, 100)).toBeCloseTo(3 / (Math.PI * 1e4), 15);
    expect(kernelValue('epanechnikov', 50, 100)).toBeCloseTo((2 / (Math.PI * 1e4)) * 0.75, 15);
    expect(kernelValue('quartic', 100, 100)).toBe(0);
  });
  it('integrate to one (midpoint rule on a fine polar grid)', () => {
    for (const k of ['gaussian', 'quartic', 'epanechnikov'] as KernelName[]) {
      let s = 0;
      const dr = 0.01;
      for (let r = dr / 2; r < 8; r += dr) s += kernelValue(k, r, 1) * 2 * Math.PI * r * dr;
      expect(s).toBeCloseTo(1, 4);
    }
  });
  it('canonical bandwidth ratios: (R_K/μ2_K² · 4π)^(1/6) = (2304/5)^(1/6) quartic, 192^(1/6) Epanechnikov', () => {
    expect(gaussianToKernelBandwidth('quartic')).toBeCloseTo(2.7792, 4);
    expect(gaussianToKernelBandwidth('epanechnikov')).toBeCloseTo(2.4019, 4);
  });
});

describe('kdeGrid', () => {
  // two events on cell centres: (505, 505) and (555, 505); evaluated at (525, 505), 20 m and 30 m away
  const pts = { x: [505, 555], y: [505, 505] };
  for (const k of ['gaussian', 'quartic', 'epanechnikov'] as KernelName[]) {
    it(`matches the hand-computed ${k} density at a cell centre`, () => {
      const d = kdeGrid(pts, grid, { kernel: k, bandwidth: 100 });
      const want = kernelValue(k, 20, 100) + kernelValue(k, 30, 100);
      // gaussian: 1/(2π·100²)·(e^-0.02 + e^-0.045) = 1.59155e-5 × 1.936196 = 3.08155e-5
      if (k === 'gaussian') expect(want).toBeCloseTo(3.08155e-5, 9);
      expect(Math.abs(at(d, 52, 50) - want) / want).toBeLessThan(k === 'gaussian' ? 1e-5 : 5e-3);
    });
  }

  it('linear binning keeps off-centre points accurate', () => {
    const d = kdeGrid({ x: [503.7], y: [498.2] }, grid, { kernel: 'gaussian', bandwidth: 60 });
    const want = kernelValue('gaussian', Math.hypot(565 - 503.7, 535 - 498.2), 60);
    expect(Math.abs(at(d, 56, 53) - want) / want).toBeLessThan(0.01);
  });

  it('conserves mass, and direct and FFT convolution agree', () => {
    const rng = new Rng(7);
    const n = 300;
    const x = Float64Array.from({ length: n }, () => 300 + rng.random() * 400);
    const y = Float64Array.from({ length: n }, () => 300 + rng.random() * 400);
    for (const k of ['gaussian', 'quartic', 'epanechnikov'] as KernelName[]) {
      const direct = kdeGridDetailed({ x, y }, grid, { kernel: k, bandwidth: 50, method: 'direct' });
      const fft = kdeGridDetailed({ x, y }, grid, { kernel: k, bandwidth: 50, method: 'fft' });
      expect(direct.method).toBe('direct');
      expect(fft.method).toBe('fft');
      expect(sum(direct.density) * 100).toBeCloseTo(n, 6);
      let maxDiff = 0;
      for (let i = 0; i < direct.density.length; i++) maxDiff = Math.max(maxDiff, Math.abs(direct.density[i] - fft.density[i]));
      expect(maxDiff).toBeLessThan(1e-12);
    }
    const sep = kdeGridDetailed({ x, y }, grid, { kernel: 'gaussian', bandwidth: 50 });
    expect(sep.method).toBe('separable');
    expect(sum(sep.density) * 100).toBeCloseTo(n, 6);
  });

  it('weights scale the surface and normalize gives a probability density', () => {
    const w = kdeGrid({ x: [505], y: [505], w: [3] }, grid, { kernel: 'quartic', bandwidth: 80 });
    const one = kdeGrid({ x: [505], y: [505] }, grid, { kernel: 'quartic', bandwidth: 80 });
    expect(at(w, 50, 50)).toBeCloseTo(3 * at(one, 50, 50), 15);
    const p = kdeGrid({ x: [505, 305], y: [505, 305], w: [3, 1] }, grid, { kernel: 'quartic', bandwidth: 80, normalize: true });
    expect(sum(p) * 100).toBeCloseTo(1, 9);
  });

  it('edge correction restores the mass lost beyond the study-area boundary', () => {
    // study area: the western half of the grid; events within 20 m of its eastern edge
    const mask = new Uint8Array(grid.nx * grid.ny);
    for (let iy = 0; iy < grid.ny; iy++) for (let ix = 0; ix < 50; ix++) mask[iy * grid.nx + ix] = 1;
    const rng = new Rng(3);
    const n = 200;
    const x = Float64Array.from({ length: n }, () => 480 + rng.random() * 20);
    const y = Float64Array.from({ length: n }, () => 300 + rng.random() * 400);
    const none = kdeGrid({ x, y }, grid, { kernel: 'quartic', bandwidth: 100, mask, edgeCorrection: 'none' });
    const ev = kdeGrid({ x, y }, grid, { kernel: 'quartic', bandwidth: 100, mask, edgeCorrection: 'event' });
    const pt = kdeGrid({ x, y }, grid, { kernel: 'quartic', bandwidth: 100, mask, edgeCorrection: 'point' });
    const massNone = sum(none) * 100, massEvent = sum(ev) * 100, massPoint = sum(pt) * 100;
    // roughly half of each kernel falls east of the boundary and is lost without correction
    expect(massNone).toBeGreaterThan(0.3 * n);
    expect(massNone).toBeLessThan(0.7 * n);
    expect(massEvent).toBeCloseTo(n, 6);
    // Diggle's pointwise correction is unbiased for the density, not mass-preserving: it lands between
    expect(massPoint).toBeGreaterThan(massNone);
    expect(Math.abs(massPoint - n) / n).toBeLessThan(0.3);
    // nothing outside the area
    expect(at(ev, 60, 50)).toBe(0);
  });
});

describe('edge-correction surface cache', () => {
  it('is computed once per mask, kernel and bandwidth, and gives the same densities as a fresh computation', async () => {
    const { insideMass, kdeGridDetailed } = await import('../../../src/models/kernel/grid-kde.js');
    const grid = { x0: 0, y0: 0, cell: 10, nx: 30, ny: 20 };
    const mask = new Uint8Array(600).map((_, i) => (i % 30 < 20 ? 1 : 0));
    const pg = { nx: 30 + 2 * 4, ny: 20 + 2 * 4 };
    const a = insideMass(mask, grid, 4, pg, 'quartic', 35, 'auto');
    expect(insideMass(mask, grid, 4, pg, 'quartic', 35, 'auto')).toBe(a); // the same array: reused
    expect(insideMass(mask, grid, 4, pg, 'quartic', 50, 'auto')).not.toBe(a); // another bandwidth: its own
    const pts = { x: Float64Array.of(15, 55, 150, 199), y: Float64Array.of(15, 95, 100, 5) };
    const first = kdeGridDetailed(pts, grid, { kernel: 'quartic', bandwidth: 35, mask }).density;
    const again = kdeGridDetailed(pts, grid, { kernel: 'quartic', bandwidth: 35, mask }).density;
    const fresh = kdeGridDetailed(pts, grid, { kernel: 'quartic', bandwidth: 35, mask: Uint8Array.from(mask) }).density;
    expect(Array.from(again)).toEqual(Array.from(first));
    expect(Array.from(fresh)).toEqual(Array.from(first));
  });
});
