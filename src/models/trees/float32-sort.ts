/**
 * Ascending in-place sort of float32 values without NaN, by LSD radix on their bits (three passes of 11, 11 and
 * 10 bits): the same order as Float32Array.prototype.sort (−0 before +0) in linear time. Binning sorts a 200k-row
 * sample of every feature, where the built-in comparison sort was ~20 ms a feature.
 */
export function sortFloat32(values: Float32Array): Float32Array {
  const n = values.length;
  if (n < 2) return values;
  const keys = new Uint32Array(values.buffer, values.byteOffset, n);
  // bits → unsigned keys in value order: negatives have all bits flipped, positives only the sign bit
  for (let i = 0; i < n; i++) {
    const u = keys[i];
    keys[i] = u & 0x80000000 ? ~u >>> 0 : (u | 0x80000000) >>> 0;
  }
  const tmp = new Uint32Array(n), count = new Uint32Array(2048);
  let src: Uint32Array = keys, dst: Uint32Array = tmp;
  for (const [shift, bits] of [[0, 11], [11, 11], [22, 10]]) {
    const mask = (1 << bits) - 1;
    count.fill(0);
    for (let i = 0; i < n; i++) count[(src[i] >>> shift) & mask]++;
    let sum = 0;
    for (let b = 0; b <= mask; b++) { const c = count[b]; count[b] = sum; sum += c; }
    for (let i = 0; i < n; i++) { const v = src[i]; dst[count[(v >>> shift) & mask]++] = v; }
    const t = src; src = dst; dst = t;
  }
  // three passes leave the keys in tmp
  for (let i = 0; i < n; i++) {
    const k = src[i];
    keys[i] = k & 0x80000000 ? (k ^ 0x80000000) >>> 0 : ~k >>> 0;
  }
  return values;
}
