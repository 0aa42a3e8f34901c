import { describe, expect, it } from 'vitest';
import { decodeLineAligned } from '../../src/data/ingest/decode-lines.js';

async function decodeIn(bytes: Buffer, size: number, encoding: 'utf-8' | 'latin1' | 'windows-1252', fromStart = true) {
  async function* chunks() { for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size); }
  const out: string[] = [];
  for await (const s of decodeLineAligned(chunks(), encoding, fromStart)) out.push(s);
  return out;
}

describe('decodeLineAligned', () => {
  const text = '\uFEFFid,name\n1,Zoë\n2,\uFEFFmid-file mark kept\n3,東京 🚓\n4,plain ascii\n5,end without newline é';
  const utf8 = Buffer.from(text, 'utf8');

  it('gives the text TextDecoder gives, in chunks ending at line feeds, whatever the byte chunking', async () => {
    const want = new TextDecoder('utf-8').decode(utf8); // drops the leading BOM only
    for (const size of [1, 2, 3, 5, 7, 13, 64, utf8.length]) {
      const parts = await decodeIn(utf8, size, 'utf-8');
      expect(parts.join(''), `chunks of ${size}`).toBe(want);
      for (const p of parts.slice(0, -1)) expect(p.endsWith('\n')).toBe(true);
    }
    // not at the file start: the leading U+FEFF is data
    expect((await decodeIn(utf8, 5, 'utf-8', false)).join('')).toBe(text);
  });

  it('reads ASCII and single-byte encodings byte for byte', async () => {
    const bytes = Buffer.from([0x61, 0x2c, 0xe9, 0x0a, 0x80, 0x0a, 0x41, 0x0a]);
    expect((await decodeIn(bytes, 3, 'windows-1252')).join('')).toBe('a,é\n€\nA\n');
    // latin1 is read as its superset windows-1252 (the Encoding Standard's mapping), whatever Node's decoder does
    expect((await decodeIn(bytes, 3, 'latin1')).join('')).toBe('a,é\n€\nA\n');
    const all = Buffer.from(Array.from({ length: 32 }, (_, i) => 0x80 + i));
    expect((await decodeIn(all, 7, 'windows-1252')).join('')).toBe('€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009Džÿ'.replace('ÿ', 'Ÿ'));
  });

  it('cuts a line longer than its buffer at a character boundary, never inside one', async () => {
    const long = 'é東🚓a'.repeat(600_000); // ~6 MB without a line feed
    const bytes = Buffer.from(long + '\nnext\n', 'utf8');
    const parts = await decodeIn(bytes, 65_537, 'utf-8');
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.join('')).toBe(long + '\nnext\n');
    expect(parts.join('').includes('\uFFFD')).toBe(false);
  });
});
