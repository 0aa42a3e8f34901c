/**
 * Both passes of the separable Gaussian convolution as a small WebAssembly SIMD kernel (source: separable-pass.wat):
 * each output is the centre value times w[0] plus, for k = 1..R, w[k] times the sum of the values k before and k
 * after it, along rows and then down columns, eight columns (four f64x2 lanes) per sweep. The plain JS loops were 55%
 * of a daily-refit KDE backtest; test/models/kernel/grid-kde.test.ts checks this kernel against them and against a
 * direct 2-D stencil.
 *
 * Memory: the weights; the input rows framed by R zeros left and right; the row-pass result framed by R zero rows
 * above and below (every tap in bounds without a branch), rows padded to a multiple of 8 columns; the output.
 */
import { alignWasm as align, ensureWasmMemory, instantiateWasm, type WasmMemory } from '../../util/wasm.js';

// wat2wasm src/models/kernel/separable-pass.wat --output=- | base64 -w0
const WASM = 'AGFzbQEAAAABFAJgB39/f39/f38AYAZ/f39/f38AAwMCAAEFAwEAAQcbAwZtZW1vcnkCAARyb3dzAAAHY29sdW1ucwABCuMFAu0CAgh/BXtBACEHAkADQCAHIAZPDQFBACEIAkADQCAIIARPDQEgACAHIAVsIAggA2pqQQN0aiEKIAIrAwD9FCETIBMgCv0AAwD98gEhDyATIAr9AAMQ/fIBIRAgEyAK/QADIP3yASERIBMgCv0AAzD98gEhEiAKIQsgCiEMIAIhDUEAIQkCQANAIAkgA08NASALQQhrIQsgDEEIaiEMIA1BCGohDSANKwMA/RQhEyAPIBMgC/0AAwAgDP0AAwD98AH98gH98AEhDyAQIBMgC/0AAxAgDP0AAxD98AH98gH98AEhECARIBMgC/0AAyAgDP0AAyD98AH98gH98AEhESASIBMgC/0AAzAgDP0AAzD98AH98gH98AEhEiAJQQFqIQkMAAsLIAEgByADaiAEbCAIakEDdGohDiAOIA/9CwQAIA4gEP0LBBAgDiAR/QsEICAOIBL9CwQwIAhBCGohCAwACwsgB0EBaiEHDAALCwvxAgIJfwV7IARBA3QhBkEAIQcCQANAIAcgBE8NAUEAIQgCQANAIAggBU8NASAAIAggA2ogBGwgB2pBA3RqIQogAisDAP0UIRMgEyAK/QAEAP3yASEPIBMgCv0ABBD98gEhECATIAr9AAQg/fIBIREgEyAK/QAEMP3yASESIAohCyAKIQwgAiENQQAhCQJAA0AgCSADTw0BIAsgBmshCyAMIAZqIQwgDUEIaiENIA0rAwD9FCETIA8gEyAL/QAEACAM/QAEAP3wAf3yAf3wASEPIBAgEyAL/QAEECAM/QAEEP3wAf3yAf3wASEQIBEgEyAL/QAEICAM/QAEIP3wAf3yAf3wASERIBIgEyAL/QAEMCAM/QAEMP3wAf3yAf3wASESIAlBAWohCQwACwsgASAIIARsIAdqQQN0aiEOIA4gD/0LBAAgDiAQ/QsEECAOIBH9CwQgIA4gEv0LBDAgCEEBaiEIDAALCyAHQQhqIQcMAAsLCw==';

/** Above this much kernel memory the caller keeps its JS loop (a raster far larger than any KDE here needs). */
const MAX_BYTES = 2 ** 30;

type Pass = (src: number, dst: number, w: number, R: number, sx: number, ps: number, ny: number) => void;
type ColumnPass = (src: number, dst: number, w: number, R: number, sx: number, ny: number) => void;

export class SeparablePass {
  private readonly memory: WasmMemory;
  private readonly rowPass: Pass;
  private readonly columnPass: ColumnPass;
  private inAt = 0; private midAt = 0; private outAt = 0;
  private R = 0; private nx = 0; private ny = 0; private sx = 0; private ps = 0;

  private constructor() {
    const ex = instantiateWasm<{ rows: Pass; columns: ColumnPass }>(WASM);
    this.memory = ex.memory;
    this.rowPass = ex.rows;
    this.columnPass = ex.columns;
  }

  private static shared: SeparablePass | null | undefined;

  /**
   * The process-wide kernel, or null where this runtime has no WebAssembly SIMD; callers then run the JS loops,
   * which give the same densities (to rounding), only slower.
   */
  static get(): SeparablePass | null {
    if (SeparablePass.shared === undefined) {
      try { SeparablePass.shared = new SeparablePass(); } catch { SeparablePass.shared = null; }
    }
    return SeparablePass.shared;
  }

  /**
   * Convolves the nx × ny array src (row-major) with the symmetric 1-D weights g (2R + 1) along both axes, zero
   * outside the array, into out; false (out untouched) when the kernel memory would be too large.
   */
  convolve(src: Float64Array, nx: number, ny: number, g: Float64Array, out: Float64Array): boolean {
    if (!this.prepare(g, nx, ny)) return false;
    const { R, sx, ps } = this;
    const input = new Float64Array(this.memory.buffer, this.inAt, ps * ny);
    input.fill(0);
    for (let y = 0; y < ny; y++) input.set(src.subarray(y * nx, y * nx + nx), y * ps + R);
    // the row pass fills rows R … R + ny − 1 of the middle array; its frame rows must be zero
    new Float64Array(this.memory.buffer, this.midAt, sx * R).fill(0);
    new Float64Array(this.memory.buffer, this.midAt + 8 * sx * (ny + R), sx * R).fill(0);
    this.rowPass(this.inAt, this.midAt, 0, R, sx, ps, ny);
    this.columnPass(this.midAt, this.outAt, 0, R, sx, ny);
    const res = new Float64Array(this.memory.buffer, this.outAt, sx * ny);
    for (let y = 0; y < ny; y++) out.set(res.subarray(y * sx, y * sx + nx), y * nx);
    return true;
  }

  private prepare(g: Float64Array, nx: number, ny: number): boolean {
    const R = (g.length - 1) >> 1, sx = Math.ceil(nx / 8) * 8, ps = sx + 2 * R + ((sx + 2 * R) & 1);
    const wBytes = align(8 * (R + 1)), inBytes = align(8 * ps * ny), midBytes = align(8 * sx * (ny + 2 * R)), outBytes = align(8 * sx * ny);
    const bytes = wBytes + inBytes + midBytes + outBytes;
    if (bytes > MAX_BYTES) return false;
    try { ensureWasmMemory(this.memory, bytes); } catch (err) { if (err instanceof RangeError) return false; throw err; }
    Object.assign(this, { R, nx, ny, sx, ps, inAt: wBytes, midAt: wBytes + inBytes, outAt: wBytes + inBytes + midBytes });
    const w = new Float64Array(this.memory.buffer, 0, R + 1);
    for (let k = 0; k <= R; k++) w[k] = g[R + k];
    return true;
  }
}
