/**
 * In-place iterative radix-2 complex FFT and a 2-D real convolution built on it.
 * Hand-written because CrimeCast has no FFT dependency and the kernel grids need only power-of-two sizes.
 */

function fft1d(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      let t = re[i]; re[i] = re[j]; re[j] = t;
      t = im[i]; im[i] = im[j]; im[j] = t;
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = ((inverse ? 2 : -2) * Math.PI) / len;
    const wr = Math.cos(ang), wi = Math.sin(ang);
    const half = len >> 1;
    for (let i = 0; i < n; i += len) {
      let cr = 1, ci = 0;
      for (let k = 0; k < half; k++) {
        const a = i + k, b = a + half;
        const xr = re[b] * cr - im[b] * ci, xi = re[b] * ci + im[b] * cr;
        re[b] = re[a] - xr; im[b] = im[a] - xi;
        re[a] += xr; im[a] += xi;
        const ncr = cr * wr - ci * wi;
        ci = cr * wi + ci * wr; cr = ncr;
      }
    }
  }
  if (inverse) for (let i = 0; i < n; i++) { re[i] /= n; im[i] /= n; }
}

/** 2-D FFT of a W × H row-major complex array (W, H powers of two). */
function fft2d(re: Float64Array, im: Float64Array, W: number, H: number, inverse: boolean): void {
  const rr = new Float64Array(W), ri = new Float64Array(W);
  for (let y = 0; y < H; y++) {
    const o = y * W;
    rr.set(re.subarray(o, o + W)); ri.set(im.subarray(o, o + W));
    fft1d(rr, ri, inverse);
    re.set(rr, o); im.set(ri, o);
  }
  const cr = new Float64Array(H), ci = new Float64Array(H);
  for (let x = 0; x < W; x++) {
    for (let y = 0; y < H; y++) { cr[y] = re[y * W + x]; ci[y] = im[y * W + x]; }
    fft1d(cr, ci, inverse);
    for (let y = 0; y < H; y++) { re[y * W + x] = cr[y]; im[y * W + x] = ci[y]; }
  }
}

export function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p <<= 1;
  return p;
}

/**
 * Circular convolution of `src` (nx × ny) with a centred (2R+1)² stencil, using FFT size ≥ nx × ny.
 * Wrap-around only touches the outer R cells, which callers keep as padding.
 */
export function fftConvolve(src: Float64Array, nx: number, ny: number, stencil: Float64Array, R: number): Float64Array {
  const W = nextPow2(nx), H = nextPow2(ny);
  const size = W * H;
  const are = new Float64Array(size), aim = new Float64Array(size);
  for (let y = 0; y < ny; y++) are.set(src.subarray(y * nx, (y + 1) * nx), y * W);
  const bre = new Float64Array(size), bim = new Float64Array(size);
  const side = 2 * R + 1;
  for (let dy = -R; dy <= R; dy++) {
    const yy = (dy + H) % H;
    for (let dx = -R; dx <= R; dx++) bre[yy * W + ((dx + W) % W)] += stencil[(dy + R) * side + dx + R];
  }
  fft2d(are, aim, W, H, false);
  fft2d(bre, bim, W, H, false);
  for (let i = 0; i < size; i++) {
    const r = are[i] * bre[i] - aim[i] * bim[i];
    aim[i] = are[i] * bim[i] + aim[i] * bre[i];
    are[i] = r;
  }
  fft2d(are, aim, W, H, true);
  const out = new Float64Array(nx * ny);
  for (let y = 0; y < ny; y++) out.set(are.subarray(y * W, y * W + nx), y * nx);
  return out;
}
