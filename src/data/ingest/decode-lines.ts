/**
 * Byte chunks → decoded text chunks that end just after a line feed. The tokenizer then rarely carries an
 * unfinished record into the next chunk, so it rarely has to join two strings; a joined string cost a copy of the
 * whole chunk (the tail bytes are moved instead). A line feed byte is a character boundary in every encoding read
 * here (UTF-8, latin1, windows-1252). A stretch of more than MAX_PENDING bytes without one is cut at a character
 * boundary instead, so every chunk decodes on its own.
 *
 * A chunk of pure ASCII (most police exports) is read as latin1, a plain byte copy that gives the same text in all
 * three encodings, instead of going through TextDecoder (a third of the decode time of CHI_Crime.csv).
 */
import { isAscii } from 'node:buffer';
import type { Encoding } from './spec.js';
import { fixCp1252 } from './cp1252.js';
import { latin1, type TextChunk } from './csv-tokenizer.js';

const MAX_PENDING = 4 << 20;

/**
 * `fromFileStart`: the bytes start the file, so a byte order mark there is dropped (anywhere else U+FEFF is a
 * character of the data and kept).
 */
export async function* decodeLineAligned(bytes: AsyncIterable<Buffer>, encoding: Encoding, fromFileStart: boolean): AsyncGenerator<string> {
  for await (const c of decodeLineAlignedChunks(bytes, encoding, fromFileStart)) yield chunkText(c);
}

/** The text of a chunk (an ASCII chunk's is made from its bytes on first use). */
export function chunkText(c: TextChunk): string {
  return c.text ??= latin1(c.ascii!);
}

/**
 * decodeLineAligned, each chunk with its bytes when they are all ASCII (for the compiled tokenizer, which reads the
 * bytes; their text is then only made if something asks for it: chunkText).
 */
export async function* decodeLineAlignedChunks(bytes: AsyncIterable<Buffer>, encoding: Encoding, fromFileStart: boolean): AsyncGenerator<TextChunk> {
  const startDec = new TextDecoder(encoding, { ignoreBOM: !fromFileStart });
  const dec = new TextDecoder(encoding, { ignoreBOM: true });
  let first = true;
  const decode = (b: Buffer): TextChunk => {
    if (isAscii(b)) { first = false; return { text: null, ascii: b }; }
    const s = (first ? startDec : dec).decode(b);
    first = false;
    return { text: encoding === 'utf-8' ? s : fixCp1252(s), ascii: null };
  };
  let pending: Buffer | null = null;
  for await (const chunk of bytes) {
    const b: Buffer = pending ? Buffer.concat([pending, chunk]) : chunk;
    const lf = b.lastIndexOf(10);
    if (lf < 0 && b.length <= MAX_PENDING) { pending = b; continue; }
    const cut = lf >= 0 ? lf + 1 : charBoundary(b, encoding);
    pending = cut < b.length ? b.subarray(cut) : null;
    const s = decode(b.subarray(0, cut));
    if (s.text === null || s.text.length) yield s;
  }
  if (pending) {
    const tail = decode(pending);
    if (tail.text === null || tail.text.length) yield tail;
  }
}

/** A cut near the end of `b` that does not split a UTF-8 character (any byte boundary in single-byte encodings). */
function charBoundary(b: Buffer, encoding: Encoding): number {
  let cut = b.length;
  if (encoding !== 'utf-8') return cut;
  // back up over continuation bytes (10xxxxxx) to the start of the last character, at most 3
  while (cut > b.length - 4 && cut > 0 && (b[cut - 1] & 0xc0) === 0x80) cut--;
  // cut - 1 now starts the last character (or is ASCII): keep it whole only if all its bytes are here
  if (cut > 0) {
    const lead = b[cut - 1];
    const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    if (b.length - (cut - 1) < need) return cut - 1;
  }
  return b.length;
}
