/**
 * Occurrences of each 64-bit content hash (two 32-bit lanes) in file order: the k-th row with the same content gets
 * k. The store's merge gives such rows the id suffix "-k"; counting them here while the rows stream in spares it a
 * hash aggregate over the whole stage (40 of ~740 ms of ingesting CHI_Crime.csv). Open addressing on typed arrays;
 * bounded: past MAX_KEYS distinct contents it gives up (`overflowed`) and the merge counts in SQL as before.
 */
const MAX_KEYS = 3 << 20; // table of at most 2^22 slots × 12 bytes = 48 MB

export class RepeatCounter {
  private a: Uint32Array;
  private b: Uint32Array;
  /** 0: empty slot; else occurrences so far. */
  private count: Int32Array;
  private size = 0;
  overflowed = false;
  /** Lines of the rows that repeat an earlier row (k ≥ 2), and their k. */
  lines = new Int32Array(256);
  rn = new Int32Array(256);
  repeats = 0;

  /** `rowsHint`: rows expected (the table starts with room for that many, and grows if it was wrong). */
  constructor(private readonly maxKeys = MAX_KEYS, rowsHint = 0) {
    let slots = 1 << 16;
    while (3 * slots < 4 * Math.min(rowsHint, maxKeys)) slots *= 2;
    this.a = new Uint32Array(slots); this.b = new Uint32Array(slots); this.count = new Int32Array(slots);
  }

  /** Count one row (lanes a, b) on `line`; returns its occurrence number (0 once overflowed). */
  add(a: number, b: number, line: number): number {
    if (this.overflowed) return 0;
    const mask = this.count.length - 1;
    let k = (Math.imul(a ^ b, 0x9e3779b1) >>> 0) & mask;
    for (;;) {
      const c = this.count[k];
      if (c === 0) break;
      if (this.a[k] === a && this.b[k] === b) {
        this.count[k] = c + 1;
        this.note(line, c + 1);
        return c + 1;
      }
      k = (k + 1) & mask;
    }
    if (this.size >= this.maxKeys) { this.overflow(); return 0; }
    this.a[k] = a; this.b[k] = b; this.count[k] = 1;
    // linear probing stays short up to three quarters full
    if (4 * ++this.size > 3 * this.count.length) this.rehash();
    return 1;
  }

  private note(line: number, rn: number): void {
    if (this.repeats === this.lines.length) {
      const l = new Int32Array(this.lines.length * 2); l.set(this.lines); this.lines = l;
      const r = new Int32Array(this.rn.length * 2); r.set(this.rn); this.rn = r;
    }
    this.lines[this.repeats] = line;
    this.rn[this.repeats++] = rn;
  }

  private overflow(): void {
    this.overflowed = true;
    this.a = this.b = new Uint32Array(0);
    this.count = new Int32Array(0);
  }

  private rehash(): void {
    const { a, b, count } = this;
    const size = count.length * 2, mask = size - 1;
    this.a = new Uint32Array(size); this.b = new Uint32Array(size); this.count = new Int32Array(size);
    for (let j = 0; j < count.length; j++) {
      if (count[j] === 0) continue;
      let k = (Math.imul(a[j] ^ b[j], 0x9e3779b1) >>> 0) & mask;
      while (this.count[k] !== 0) k = (k + 1) & mask;
      this.a[k] = a[j]; this.b[k] = b[j]; this.count[k] = count[j];
    }
  }
}
