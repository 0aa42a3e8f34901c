/** Rejects as JSON Lines, one object per rejected row including its raw text. Owner-only: it holds raw records. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Reject } from './reject.js';

export async function writeRejectsFile(path: string, rejects: readonly Reject[]): Promise<string> {
  const p = resolve(path);
  await mkdir(dirname(p), { recursive: true, mode: 0o700 });
  let text = '';
  for (const r of rejects) text += JSON.stringify({ file: r.file, line: r.line, reason: r.reason, field: r.field, raw: r.raw }) + '\n';
  await writeFile(p, text, { mode: 0o600 });
  return p;
}
