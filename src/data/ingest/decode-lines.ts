/**
 * Byte chunks → decoded text chunks that end just after a line feed. The tokenizer then rarely carries an
 * unfinished record into the next chunk, so it rarely has to join two strings; a joined string cost a copy of the
 * whole chunk (the tail bytes are moved instead). A line feed byte is a character boundary in every encoding read
 * here (UTF-8, latin1, windows-1252). A stretch of more than MAX_PENDING bytes without one is decoded as it is.
 */
const MAX_PENDING = 4 << 20;

export async function* decodeLineAligned(bytes: AsyncIterable<Buffer>, dec: InstanceType<typeof TextDecoder>): AsyncGenerator<string> {
  let pending: Buffer | null = null;
  for await (const chunk of bytes) {
    const b: Buffer = pending ? Buffer.concat([pending, chunk]) : chunk;
    const lf = b.lastIndexOf(10);
    if (lf < 0 && b.length <= MAX_PENDING) { pending = b; continue; }
    const cut = lf < 0 ? b.length : lf + 1;
    pending = cut < b.length ? b.subarray(cut) : null;
    const s = dec.decode(b.subarray(0, cut), { stream: true });
    if (s.length) yield s;
  }
  const tail = (pending ? dec.decode(pending, { stream: true }) : '') + dec.decode();
  if (tail.length) yield tail;
}
