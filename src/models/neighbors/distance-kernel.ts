/**
 * Float32 squared distances from blocks of four queries to every training row, as a WebAssembly SIMD kernel
 * (source: distance-kernel.wat). k-NN uses them as a filter only (see knn.ts): a row is skipped when its float32
 * distance minus a rounding bound exceeds the k-th exact distance, and every other row is re-scored in float64,
 * so the neighbours are exactly those of a float64 scan.
 */
import { alignWasm as align, ensureWasmMemory, instantiateWasm, type WasmMemory } from '../../util/wasm.js';

// wat2wasm src/models/neighbors/distance-kernel.wat --output=- | base64 -w0
const WASM = 'AGFzbQEAAAABHwRgBX9/f39/AGAEf39/fQF/YAR/f39/AX1gA39/fwADBQQAAQIDBQMBAAEHHwQGbWVtb3J5AgAFZGlzdDQAAARuZXh0AAEDa3RoAAIK3QgEtAQCB38MeyABQQJ0IQcgByEGAkADQCAFIAZPDQH9DAAAAAAAAAAAAAAAAAAAAAAhDP0MAAAAAAAAAAAAAAAAAAAAACEN/QwAAAAAAAAAAAAAAAAAAAAAIQ79DAAAAAAAAAAAAAAAAAAAAAAhD/0MAAAAAAAAAAAAAAAAAAAAACEQ/QwAAAAAAAAAAAAAAAAAAAAAIRH9DAAAAAAAAAAAAAAAAAAAAAAhEv0MAAAAAAAAAAAAAAAAAAAAACETIAAgBWohCCADIQkgAiEKA0AgCP0ABAAhFCAI/QAEECEVIAn9CQIAIRYgFCAW/eUBIRcgDCAXIBf95gH95AEhDCAVIBb95QEhFyANIBcgF/3mAf3kASENIAn9CQIEIRYgFCAW/eUBIRcgDiAXIBf95gH95AEhDiAVIBb95QEhFyAPIBcgF/3mAf3kASEPIAn9CQIIIRYgFCAW/eUBIRcgECAXIBf95gH95AEhECAVIBb95QEhFyARIBcgF/3mAf3kASERIAn9CQIMIRYgFCAW/eUBIRcgEiAXIBf95gH95AEhEiAVIBb95QEhFyATIBcgF/3mAf3kASETIAggB2ohCCAJQRBqIQkgCkEBayIKDQALIAQgBWohCyALIAz9CwQAIAsgDf0LBBAgCyAHaiELIAsgDv0LBAAgCyAP/QsEECALIAdqIQsgCyAQ/QsEACALIBH9CwQQIAsgB2ohCyALIBL9CwQAIAsgE/0LBBAgBUEgaiEFDAALCwufAQIBewF/IAP9EyEEAkADQCABQQNxRQ0BIAEgAk8EQCACDwsgACABQQJ0aioCACADXwRAIAEPCyABQQFqIQEMAAsLIAJBfHEhBQJAA0AgASAFTw0BIAAgAUECdGr9AAQAIAT9Rf1TDQEgAUEEaiEBDAALCwJAA0AgASACTw0BIAAgAUECdGoqAgAgA18EQCABDwsgAUEBaiEBDAALCyACC+UBBAJ/AX0BewJ/IAMgACACQQJ0/AoAACACQQF2IQUCQANAIAVFDQEgBUEBayEFIAMgAiAFEAMMAAsLIAIhBCABQXxxIQggAyoCAP0TIQcCQANAIAQgAU8NASAEQQNxRSAEIAhJcQRAIAAgBEECdGr9AAQAIAf9Q/1TRQRAIARBBGohBAwCCwsgBEEEakF8cSEJIAkgAUsEQCABIQkLA0AgACAEQQJ0aioCACEGIAYgAyoCAF0EQCADIAY4AgAgAyACQQAQAwsgBEEBaiIEIAlJDQALIAMqAgD9EyEHDAALCyADKgIAC5wBAgJ/AX0CQANAIAJBAXRBAWohAyADIAFPDQEgAyEEIANBAWogAUkEQCAAIANBAnRqKgIEIAAgA0ECdGoqAgBeBEAgA0EBaiEECwsgACAEQQJ0aioCACAAIAJBAnRqKgIAXw0BIAAgBEECdGoqAgAhBSAAIARBAnRqIAAgAkECdGoqAgA4AgAgACACQQJ0aiAFOAIAIAQhAgwACwsL';

/** Queries per kernel call. */
export const QUERY_BLOCK = 4;

export class DistanceKernel {
  private readonly memory: WasmMemory;
  private readonly run: (zt: number, nPad: number, p: number, q: number, out: number) => void;
  private readonly nextAt: (d: number, i: number, n: number, cut: number) => number;
  private readonly kthAt: (d: number, n: number, k: number, h: number) => number;
  private readonly ztAt: number; private readonly qAt: number; private readonly outAt: number;
  private readonly heapAt: number;
  /** Rows rounded up to the kernel's step of 8. */
  readonly nPad: number;

  /** null when the kernel's memory cannot hold the rows (the caller keeps its float64 scan). */
  static create(Z: Float64Array, n: number, p: number): DistanceKernel | null {
    if (p < 1 || n < 1) return null;
    try {
      return new DistanceKernel(Z, n, p);
    } catch (err) {
      if (err instanceof RangeError) return null; // memory could not grow that far
      throw err;
    }
  }

  private constructor(Z: Float64Array, readonly n: number, readonly p: number) {
    const ex = instantiateWasm<{ dist4: DistanceKernel['run']; next: DistanceKernel['nextAt']; kth: DistanceKernel['kthAt'] }>(WASM);
    this.memory = ex.memory;
    this.run = ex.dist4;
    this.nextAt = ex.next;
    this.kthAt = ex.kth;
    this.nPad = Math.ceil(n / 8) * 8;
    const ztBytes = 4 * p * this.nPad, qBytes = 4 * p * QUERY_BLOCK, outBytes = 4 * QUERY_BLOCK * this.nPad;
    if (ztBytes + qBytes + outBytes + 4 * n + 64 > 2 ** 31) throw new RangeError('k-NN distance kernel: rows exceed 2 GiB');
    ensureWasmMemory(this.memory, align(ztBytes) + align(qBytes) + align(outBytes) + align(4 * n));
    this.ztAt = 0; this.qAt = align(ztBytes); this.outAt = this.qAt + align(qBytes);
    this.heapAt = this.outAt + align(outBytes);
    // feature-major copy: one feature of eight consecutive rows is two SIMD loads
    const zt = new Float32Array(this.memory.buffer, this.ztAt, p * this.nPad);
    for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) zt[j * this.nPad + i] = Z[i * p + j];
  }

  /**
   * Float32 squared distances of queries Q[q0 … q0 + 4) (rows of p float64 values; missing ones past nQ are
   * zeros) to every training row, kept in the kernel for next().
   */
  distances(Q: Float64Array, q0: number, nQ: number): void {
    const p = this.p, buf = this.memory.buffer, qb = new Float32Array(buf, this.qAt, p * QUERY_BLOCK);
    for (let qq = 0; qq < QUERY_BLOCK; qq++) {
      const o = (q0 + qq) * p, live = q0 + qq < nQ;
      for (let j = 0; j < p; j++) qb[j * QUERY_BLOCK + qq] = live ? Q[o + j] : 0;
    }
    this.run(this.ztAt, this.nPad, p, this.qAt, this.outAt);
  }

  /** The k-th smallest float32 distance of query qq of the last block (1 ≤ k ≤ n). */
  kth(qq: number, k: number): number {
    return this.kthAt(this.outAt + 4 * qq * this.nPad, this.n, k, this.heapAt);
  }

  /**
   * The first training row i' ≥ i whose float32 distance to query qq of the last block is ≤ cut (n when none).
   * cut is rounded up to float32, so no row with distance ≤ cut is passed over.
   */
  next(qq: number, i: number, cut: number): number {
    let c = Math.fround(cut);
    if (c < cut) c = Math.fround(cut + cut * 2 ** -22);
    return this.nextAt(this.outAt + 4 * qq * this.nPad, i, this.n, c);
  }
}
