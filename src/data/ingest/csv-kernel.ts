/**
 * The compiled CSV kernel (source: csv-kernel.as.ts, AssemblyScript): tokenizes a chunk of ASCII text and pre-parses
 * the time, coordinates and category of each record, for the JS reader to use where they are plain.
 *
 * Why compiled: the JS reader spent ~1.7 µs per row of CHI_Crime.csv (321,877 rows) on tokenizing and parsing,
 * most of it before V8's optimising compiler had caught up with a file that small; a WebAssembly module is
 * compiled before it runs. It only ever speeds up: its records are tokenizeText's records exactly, and a value
 * it pre-parses is used only where it is what the JS parser returns (test/data/csv-kernel.test.ts compares both on
 * random input); everything else (non-ASCII chunks, offsets in times, long decimals, rejects) is read by the JS
 * code as before.
 *
 * One kernel per thread (CsvKernel.shared), used by every tokenizer in turn: its memory grows to the largest chunk
 * once, instead of an instance and its memory per file range. Category codes hold within one generation of its
 * spelling table, which starts afresh when half full.
 */
import { alignWasm as align, ensureWasmMemory, instantiateWasm, type WasmMemory } from '../../util/wasm.js';
import { latin1, type RowBatch, type TokenizerState } from './csv-tokenizer.js';

// npx -p assemblyscript@0.28.20 asc src/data/ingest/csv-kernel.as.ts -O3 --runtime stub --noAssert -o /tmp/k.wasm && base64 -w0 /tmp/k.wasm
const WASM = 'AGFzbQEAAAABSAZgAAF/YAN/f38Bf2ASf39/f39/f39/f39/f39/f39/AX9gBH9/f38Bf2ASf39/f39/f39/f39/f39/f39/AGAGf39/f39/AAMKCQECAwQAAAUBAAUDAQABBnUTfAFEAAAAAAAAAAALfAFEAAAAAAAAAAALfwFBAAt/AUEAC38BQQALfwFBAAt/AUEAC38BQQALfwFBAAt/AUEAC3wBRAAAAAAAAAAAC38BQQALfwFBAAt/AUEAC38BQQALfwFBAAt/AUEAC38BQQALfwFBAAsHSQcEYmFzZQAICHRva2VuaXplAAEHY2F0SW5pdAAGB2NhdFNpemUABAtjYXRLZXlCeXRlcwAFCHByZXBhcnNlAAMGbWVtb3J5AgAMAQEKhh4JmgUDBn8BfgF8A0AgASACSAR/IAAgAWotAAAiBEEgRgR/QQEFIARBDU0gBEEJT3ELBUEACwRAIAFBAWohAQwBCwsDQCABIAJIBH8gAkEBayAAai0AACIEQSBGBH9BAQUgBEENTSAEQQlPcQsFQQALBEAgAkEBayECDAELCyABIAJIBEAgACABai0AACIEQS1GBH9BASEHIAFBAWoFIAFBAWogASAEQStGGwshAQsgASEEA0AgASACSARAIAAgAWotAABBMGsiBUEASCAFQQlKckUEQCAFQQBKIANBAEpyBEAgBawgCUIKfnwhCSADQQFqIQMLIAFBAWohAQwCCwsLIAEgBGshBCABIAJIBH8gACABai0AAEEuRgVBAAsEfyABQQFqIgEhBQNAIAEgAkgEQCAAIAFqLQAAQTBrIgZBAEggBkEJSnJFBEAgBkEASiADQQBKcgRAIAasIAlCCn58IQkgA0EBaiEDCyABQQFqIQEMAgsLCyAEIAEgBWsiBmoFIAQLRSADQQ9KcgRAQQAPC0EAIQMgASACSAR/IAAgAWotAAAiBEHFAEcgBEHlAEdxBEBBAA8LQQAhBCACIAFBAWoiAUoEQCAAIAFqLQAAIghBLUYiBSAIQStGcgRAIAUhBCABQQFqIQELCyABIQUDQCABIAJIBEAgACABai0AACIIQTBJIAhBOUtyIANB6AdKckUEQCAIQTBrIANBCmxqIQMgAUEBaiEBDAILCwsgASAFRiABIAJIcgRAQQAPC0EAIANrIAMgBBsFQQALIAZrIgBBakggAEEWSnIEQEEADwsgCbkhCiAAQQBOBHwgCiAAQQN0QYAIaisDAKIFIApBACAAa0EDdEGACGorAwCjCyIKmiAKIAcbJApBAQv6CQEVfyAFIR1BACEFIAQhGQNAIAEgBUoEQAJAIAUhGiAEIRYgACAFai0AACIUQQpGBH9BAQUgFEENRiAFQQFqIhMgAUhxBH8gACATai0AAEEKRgVBAAsLBEAgBUEBQQIgFEEKRhtqIgUhGyAEQQFqIgQhGQwDCyADRSAUQQ1GIAVBAWogAU5xcQ0AIBUhFCASIRNBfyEXQQAhIUEAISRBACEjA0ACQCABIAVKBH8gACAFai0AAEEiRgVBAAsEQCAFQQFqIRggBCEcQQAhIkF/IR5BACElIAEgBUGBgMAAaiIfIAEgH0gbISADQCAYICBIBEACQCAAIBhqLQAAIh9BIkYEQCAYQQFqIh8gAUgEfyAAIB9qLQAAQSJGBUEACwRAQQEhIiAYQQJqIRgMBAsgA0UgGEEBaiABTnENASAYIR4MAQsgH0EKRgRAQQEhISAEQQFqIgQgFmtB5ABKBEBBASElDAILCyAYQQFqIRgMAgsLCyAeQQBIBEAgAyAlckUgASAgRnEEQCAUIRUgEyESIBYhBEEBISMMAwtBASEkDAILIAVBAWohHyAeQQFqIgUgAUgEQCAAIAVqLQAAIhhBCkcgAiAYR3EgGEENR3EEQCAEIBxKBEBBASEkDAQLA0AgASAFSgRAIAAgBWotAAAiGEEKRiACIBhGciAYQQ1GckUEQCAFQQFqIQUMAgsLCwsLIAUgHkEBakogInIEQCAQIBJMBEBBfw8LIA8gEkEUbGoiGCAVNgIAIBggHzYCBCAYIB42AgggGCAFNgIMIBggIjYCECASQQFqIRILIAcgFUwEQEF/DwsgBiAVQQN0aiIYIB82AgAgGCAeNgIEBSAFIRgDQCABIBhKBEAgACAYai0AACIcQQpGIAIgHEZyIBxBDUZyRQRAIBhBAWohGAwCCwsLIAcgFUwEQEF/DwsgBiAVQQN0aiIcIAU2AgAgHCAYNgIEIBghBQsgFUEBaiEVIAEgBUwEQCADRQRAIBQhFSATIRIgFiEEQQEhIwwCCyABIRcMAQsgACAFai0AACIYIAJGBEAgBUEBaiEFDAILIBhBCkYEQCAFIhdBAWohBSAEQQFqIQQMAQsgA0UgBUEBaiABTnEEQCAUIRUgEyESIBYhBEEBISMMAQsgBSIXQQJBASAFQQFqIgUgAUgEfyAAIAVqLQAAQQpGBUEACxtqIQUgBEEBaiEECwsgIw0AICQgISAkRXEgHUEASnEgFSAUayIYIB1HcXIiHARAIBQhFSATIRIgGiEXA0AgASAXSgRAIAAgF2otAAAiBEENRiAEQQpGckUEQCAXQQFqIRcMAgsLCyADBH9BAAUgASAXTAR/QQEFIBdBAWogAU4EfyAAIBdqLQAAQQ1GBUEACwsLDQEgASAXTAR/IAEFIBdBAkEBIAAgF2otAABBDUYgF0EBaiIEIAFIcQR/IAAgBGotAABBCkYFQQALG2oLIQUgFkEBaiEEBSAdIBggHRshHQsgDiAmTARAQX8PCyAmQQJ0IhggCGogFDYCACAJIBhqIBY2AgAgCiAYaiAaNgIAIAsgGGogFzYCACAMICZqIBw6AAAgDSAmaiASIBNKOgAAICZBAWohJiAFIRsgBCEZDAILCwsgCCAmQQJ0aiAVNgIAIBEgJjYCACARIBU2AgQgESAbNgIIIBEgGTYCDCARIB02AhAgESASNgIUICYLoAgCC38CfEF/IQYgASEEAkADQCACIARKBEAgACAEai0AACIFQTlNIAVBME9xBEAgBkEBaiIGQQZKDQNBACEHQQAhAQNAIAVBMGsgB0EKbGohByABQQFqIgFBCkggBEEBaiIEIAJIBH8gACAEai0AACIFQTBPBUEACyENIAVBOU1BACANG3ENAAsgAUEJSg0DIAYEQCAGQQFGBEAgByQEBSAGQQJGBEAgByQFBSAGQQNGBEAgByQGBSAGQQRGBEAgByQHBSAGQQVGBEAgByQIBSAHJAkLCwsLCwUgByQDCyALIAEgBhshCyABIAggBkECRhshCCABIAkgBkEGRhshCQwCCyAFQS1GIgEgBkEDTnFBASAFQS9GIAFyIAVBIEZyIAVBOkZyIAVB1ABGciAFQfQARnIgBUEuRnIgBUEsRnIgBUEJRnIbRQRAIARBAWohBAwCCyAGQQNOBH8gBUEtRiAFQStGcgVBAAsNAiAFQfoARiAFQdoARnIgBkEDTnEEQEEBIQ4gBEEBaiEEDAILIAVB4QBGIAVBwQBGciAFQdAARnIgBUHwAEZyIARBAWoiASACSHEEfyAAIAFqLQAAQSByQe0ARgVBAAsEQEEBQQIgBUEgckHhAEYbIQogBEECaiEEDAILDAILCyAGQQJIDQAgC0EERgR/IwQhASMFIQNBBCEIIwMFIAMEfyMDIQMjBCEBIwUFIwMhASMEIQMjBQsLIQAgCEECTARAIABB0A9B7A4gAEHGAEgbaiEABSAIQQRHIABB6AdIcg0BCyMGQQAgBkEDThshAiAGQQZOBHwgCUEDTAR8IwlBACAJa0EDdEGYCGorAwD8Amy3BSMJtyAJQQN0KwPoB6MiEJwiD0QAAAAAAADwP6AgDyAQIA+hRAAAAAAAAOA/ZhsLBUQAAAAAAAAAAAshDyAKBEAgAkEATCACQQxKcg0BIAJBDEYgCkEBRnEEf0EABSACQQxqIAIgCkECRiACQQxHcRsLIQILIAJBF0ohBCABQQBMIAFBDEpyIANBAExyBH9BAQUgAUECRgR/QRxBHSAAQQNxBH9BAQUgAEHkAG8Ef0EABSAAQZADbwsLGwVBHkEfIAFBBkYgAUEERnIgAUEJRnIgAUELRnIbCyADSAsgBHIjB0EAIAZBBE4bIgdBO0pyIwhBACAGQQVOGyIFQTxKcg0AIABBAWsgACABQQJMGyIAQZADbSEEIAFBA2sgAUEJaiABQQJKG0GZAWxBAmpBBW0gA2ogACAEQZADbGsiAEHtAmwgAEEEbWogAEHkAG1raiAEQbH1CGxqQe30K2u3RAAAAABwmZRBoiACQYDd2wFst6AkACAHQTxsIAVqQegHbLcgD6AkAUECQQEgDhtBBEEAIAZBA04bckH/AXEkAkEBDwtBAAvOAgIFfwF8A0AgASATSgRAQQAhEiATQQJ0IhQgEGpBfzYCACADIBNBAWpBAnRqKAIAIAMgFGooAgAiFGshFSAEIBNqLQAABH9BAQUgBSATai0AAAtFIAYgFUZxBEAgE0EDdCEVIAdBAE4EfyAAIAIgByAUakEDdGoiEigCACASKAIEIAhBAEcQAgR/IAwgFWojADkDACANIBVqIwE5AwAjAkEQcgVBEAsFQRALIRIgCUEATgRAIAAgAiAJIBRqQQN0aiIWKAIAIBYoAgQQAARAIwohFyAAIAIgCiAUakEDdGoiFigCACAWKAIEEAAEQCAOIBVqIBc5AwAgDyAVaiMKOQMAIBJBCHIhEgsLCyALQQBOBEAgECATQQJ0aiAAIAIgCyAUakEDdGoiFCgCACAUKAIEEAc2AgALCyARIBNqIBI6AAAgE0EBaiETDAELCwsEACMRCwQAIxILJQAgACQLIAFBAWskDCACJA0gAyQOIAQkDyAFJBBBACQRQQAkEgvDAwEIfyACIAFrIgRBxbvyiHhzIQUgASEDA0AgAiADSgRAIAUgACADai0AAHNBk4OACGwhBSADQQFqIQMMAQsLIAUjDHEhBwNAIwsgB0ECdGooAgAiCARAIw0gCEEBa0EDdGoiBSgCBCAERgR/IAQhAkEAIQMCQCAAIAFqIgYjDyAFKAIAaiIFRg0AIAVBB3EgBkEHcUYEQANAIAVBB3EEQEEAIQMgAkUNAyAFLQAAIgkgBi0AACIKayEDIAkgCkcNAyACQQFrIQIgBUEBaiEFIAZBAWohBgwBCwsDQCACQQhPBEAgBSkDACAGKQMAUQRAIAVBCGohBSAGQQhqIQYgAkEIayECDAILCwsLA0AgAiIDQQFrIQIgAwRAIAUtAAAiCSAGLQAAIgprIQMgCSAKRw0CIAVBAWohBSAGQQFqIQYMAQsLQQAhAwsgA0UFQQALBEAgCEEBaw8FIwwgB0EBanEhBwwCCwALCyMQIxIgBGpIIxEjDk5yBEBBfw8LIw0jEUEDdGoiAiMSNgIAIAIgBDYCBCMPIxJqIAAgAWogBPwKAAAjEiAEaiQSIxFBAWokESMLIAdBAnRqIxE2AgAjEUEBawsFAEG4CQsLugEBAEGGCAuyAfA/AAAAAAAAJEAAAAAAAABZQAAAAAAAQI9AAAAAAACIw0AAAAAAAGr4QAAAAACAhC5BAAAAANASY0EAAAAAhNeXQQAAAABlzc1BAAAAIF+gAkIAAADodkg3QgAAAKKUGm1CAABA5ZwwokIAAJAexLzWQgAANCb1awxDAIDgN3nDQUMAoNiFVzR2QwDITmdtwatDAD2RYORY4UNAjLV4Ha8VRFDv4tbkGktEktVNBs/wgEQ=';

interface Exports {
  memory: WasmMemory;
  base(): number;
  tokenize(text: number, len: number, delim: number, final: number, startLine: number, expected: number,
    span: number, capF: number, fs: number, lines: number, rs: number, re: number, bad: number, rwRec: number, capR: number,
    rw: number, capW: number, out: number): number;
  catInit(slots: number, nSlots: number, entries: number, maxEntries: number, keys: number, keysCap: number): void;
  catSize(): number;
  catKeyBytes(): number;
  preparse(text: number, n: number, span: number, fs: number, bad: number, rwRec: number, expected: number,
    tCol: number, dayFirst: number, aCol: number, bCol: number, catCol: number,
    wall: number, rest: number, av: number, bv: number, cat: number, flags: number): void;
}

/** Flags of PreParsed.flags (csv-kernel.as.ts). */
export const PRE_LOCAL = 1, PRE_ABS = 2, PRE_TOD = 4, PRE_COORDS = 8, PRE_COUNT = 16;

/** Which fields of a record to pre-parse (indices within the record; -1: not this one). */
export interface PreparseColumns {
  time: number;
  dayFirst: boolean;
  /** The coordinate pair tried first (lat and lon, or x and y), as read. */
  a: number;
  b: number;
  category: number;
  expected: number;
}

/**
 * Per record of a batch: `flags` (PRE_*); where PRE_LOCAL, the time is local midnight + hour (`wall`, epoch ms as if
 * UTC) plus `rest` ms; where PRE_ABS, `wall + rest` is the instant; where PRE_COORDS, the pair in `a`, `b`; `cat` is
 * the code of the category's raw spelling in `kernel` (-1: not coded). Views into the kernel's memory: use them
 * before the kernel is called again.
 */
export interface PreParsed {
  flags: Uint8Array;
  wall: Float64Array;
  rest: Float64Array;
  a: Float64Array;
  b: Float64Array;
  cat: Int32Array;
  kernel: CsvKernel;
  /** Generation of the kernel's category table the codes belong to. */
  generation: number;
}

/** A batch of ASCII text tokenized by the kernel; its text is made from the bytes on first use. */
class KernelBatch implements RowBatch {
  readonly ascii = true;
  constructor(readonly n: number, readonly span: Int32Array, readonly rewritten: Map<number, string> | undefined, readonly fieldStart: Int32Array,
    readonly line: Int32Array, private madeText: string | null, private readonly bytes: Uint8Array, readonly rawStart: Int32Array,
    readonly rawEnd: Int32Array, readonly malformed: Uint8Array | undefined, readonly preparse: (cols: PreparseColumns) => PreParsed | null) {}

  get text(): string {
    return this.madeText ??= latin1(this.bytes);
  }
}

let noWasm = false;
let sharedKernel: CsvKernel | null | undefined;

const CAT_SLOTS = 1 << 17, CAT_MAX = 1 << 16, CAT_KEYS = 2 << 20;

export class CsvKernel {
  private readonly ex: Exports;
  private readonly dyn: number; // first byte of the per-call area
  private calls = 0;
  private catAt = { slots: 0, entries: 0, keys: 0 };
  /** Bumped whenever the category table starts afresh (its codes then mean other spellings). */
  generation = 0;
  private capR = 0;
  private capF = 0;
  private capW = 64;
  // layout of the last tokenize
  private L = { text: 0, len: 0, span: 0, fs: 0, bad: 0, rwRec: 0, end: 0, n: 0 };

  private constructor() {
    this.ex = instantiateWasm<Exports>(WASM);
    const b = align(this.ex.base());
    const slots = b, entries = slots + 4 * CAT_SLOTS, keys = entries + 8 * CAT_MAX;
    this.catAt = { slots, entries, keys };
    this.dyn = align(keys + CAT_KEYS);
    ensureWasmMemory(this.ex.memory, this.dyn + (1 << 16));
    this.ex.catInit(slots, CAT_SLOTS, entries, CAT_MAX, keys, CAT_KEYS);
  }

  /** The category table afresh, when half of its entries or key bytes are used (full, it would code nothing). */
  private refreshCategories(): void {
    if (2 * this.ex.catSize() < CAT_MAX && 2 * this.ex.catKeyBytes() < CAT_KEYS) return;
    new Uint8Array(this.ex.memory.buffer, this.catAt.slots, 4 * CAT_SLOTS).fill(0);
    this.ex.catInit(this.catAt.slots, CAT_SLOTS, this.catAt.entries, CAT_MAX, this.catAt.keys, CAT_KEYS);
    this.generation++;
  }

  /**
   * A fresh kernel, or null where there is none: no WebAssembly in this runtime, or CRIMECAST_CSV_KERNEL=0 (the
   * JS reader alone; same results, for comparing the two).
   */
  static create(): CsvKernel | null {
    if (process.env.CRIMECAST_CSV_KERNEL === '0') return null;
    try { return new CsvKernel(); } catch { noWasm = true; return null; }
  }

  /** This thread's kernel (made on first use), or null where there is none (see create). */
  static shared(): CsvKernel | null {
    if (process.env.CRIMECAST_CSV_KERNEL === '0') return null;
    if (sharedKernel === undefined) sharedKernel = CsvKernel.create();
    return sharedKernel;
  }

  /** Why no kernel is made, or null when one is. */
  static unavailable(): string | null {
    if (process.env.CRIMECAST_CSV_KERNEL === '0') return 'turned off (CRIMECAST_CSV_KERNEL=0)';
    return noWasm ? 'no WebAssembly in this runtime' : null;
  }

  /** Category spellings coded so far. */
  get categories(): number { return this.ex.catSize(); }

  /**
   * tokenizeText(text, startLine, delim, final, state) for text whose characters are the bytes `ascii` (all < 128).
   * The batch's arrays are its own; it can pre-parse its records (`preparse`) until this kernel is called again.
   * `text` may be null: the batch then makes it from the bytes if something reads it (a reject, an id, a new
   * category spelling), not otherwise.
   */
  tokenize(ascii: Uint8Array, text: string | null, startLine: number, delim: number, final: boolean, state: TokenizerState): { batch: RowBatch; consumed: number; nextLine: number } {
    const len = ascii.length;
    this.refreshCategories();
    this.capR = Math.max(this.capR, 1024, len >> 5);
    this.capF = Math.max(this.capF, 4096, len >> 3);
    for (;;) {
      const capR = this.capR, capF = this.capF, capW = this.capW;
      const out = this.dyn, textAt = align(out + 32), span = align(textAt + len), fs = align(span + 8 * capF);
      const lines = align(fs + 4 * (capR + 1)), rs = align(lines + 4 * capR), re = align(rs + 4 * capR);
      const bad = align(re + 4 * capR), rwRec = align(bad + capR), rw = align(rwRec + capR), end = align(rw + 20 * capW);
      ensureWasmMemory(this.ex.memory, end);
      const buf = this.ex.memory.buffer;
      new Uint8Array(buf, textAt, len).set(ascii);
      const n = this.ex.tokenize(textAt, len, delim, final ? 1 : 0, startLine, state.expected, span, capF, fs, lines, rs, re, bad, rwRec, capR, rw, capW, out);
      this.calls++;
      if (n < 0) {
        // a capacity ran out: grow them all (rarely: sized from the chunk) and tokenize again
        this.capR *= 2; this.capF *= 2; this.capW *= 4;
        continue;
      }
      const o = new Int32Array(buf, out, 6);
      const nf = o[1], consumed = o[2], nextLine = o[3], nrw = o[5];
      state.expected = o[4];
      let rewritten: Map<number, string> | undefined;
      if (nrw > 0) {
        text ??= latin1(ascii);
        rewritten = new Map();
        const w = new Int32Array(buf, rw, 5 * nrw);
        for (let k = 0; k < nrw; k++) {
          const f = w[5 * k], vStart = w[5 * k + 1], closed = w[5 * k + 2], junkEnd = w[5 * k + 3];
          let v = text.slice(vStart, closed);
          if (w[5 * k + 4]) v = v.replaceAll('""', '"');
          rewritten.set(f, v + text.slice(closed + 1, junkEnd));
        }
      }
      const badArr = new Uint8Array(buf, bad, n);
      const gen = this.calls;
      this.L = { text: textAt, len, span, fs, bad, rwRec, end, n };
      const batch = new KernelBatch(n, new Int32Array(buf, span, 2 * nf).slice(), rewritten, new Int32Array(buf, fs, n + 1).slice(),
        new Int32Array(buf, lines, n).slice(), text, ascii, new Int32Array(buf, rs, n).slice(), new Int32Array(buf, re, n).slice(),
        badArr.includes(1) ? badArr.slice() : undefined, (cols) => (gen === this.calls ? this.preparse(cols) : null));
      return { batch, consumed, nextLine };
    }
  }

  private preparse(c: PreparseColumns): PreParsed {
    const { text, span, fs, bad, rwRec, end, n } = this.L;
    const wall = end, rest = wall + 8 * n, a = rest + 8 * n, b = a + 8 * n, cat = b + 8 * n, flags = cat + 4 * n;
    ensureWasmMemory(this.ex.memory, flags + n);
    this.ex.preparse(text, n, span, fs, bad, rwRec, c.expected, c.time, c.dayFirst ? 1 : 0, c.a, c.b, c.category, wall, rest, a, b, cat, flags);
    const buf = this.ex.memory.buffer;
    return {
      flags: new Uint8Array(buf, flags, n), wall: new Float64Array(buf, wall, n), rest: new Float64Array(buf, rest, n),
      a: new Float64Array(buf, a, n), b: new Float64Array(buf, b, n), cat: new Int32Array(buf, cat, n), kernel: this,
      generation: this.generation,
    };
  }
}
