/**
 * PostgreSQL's COPY text format, both ways: fields separated by tabs, rows by newlines, NULL as \N, and
 * backslash, tab, newline and carriage return escaped. Bulk COPY is how rows reach the server fast (one round trip
 * per batch instead of one per row) and how they come back without a result object per row.
 */
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One text field for COPY FROM (null → \N). */
export function copyField(v: string | null | undefined): string {
  if (v === null || v === undefined) return '\\N';
  return NEEDS_ESCAPE.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]) : v;
}

const UNESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/** A field as COPY TO writes it, decoded (\N → null). */
export function parseCopyField(s: string): string | null {
  if (s === '\\N') return null;
  if (!s.includes('\\')) return s;
  // octal (\ooo) and hex (\xhh) escapes are legal input; the server's output uses only the single-letter ones
  return s.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_, e: string) =>
    e[0] === 'x' ? String.fromCharCode(parseInt(e.slice(1), 16)) : /^[0-7]/.test(e) ? String.fromCharCode(parseInt(e, 8)) : UNESCAPES[e] ?? e);
}

/** Rows of a COPY … TO STDOUT stream, each as its raw (still escaped) fields, in arrival order. */
export async function* copyRows(stream: Readable): AsyncGenerator<string[][]> {
  const dec = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const text = rest + dec.write(chunk);
    const end = text.lastIndexOf('\n');
    if (end < 0) { rest = text; continue; }
    rest = text.slice(end + 1);
    yield text.slice(0, end).split('\n').map((l) => l.split('\t'));
  }
  const tail = rest + dec.end();
  if (tail) yield [tail.split('\t')];
}
