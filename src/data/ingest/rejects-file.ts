/** Rejects as JSON Lines, one object per rejected row including its raw text. Owner-only: it holds raw records. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UserError } from '../../util/errors.js';
import type { Reject } from './reject.js';

export async function writeRejectsFile(path: string, rejects: readonly Reject[]): Promise<string> {
  const p = resolve(path);
  let text = '';
  for (const r of rejects) text += JSON.stringify({ file: r.file, line: r.line, reason: r.reason, field: r.field, raw: r.raw }) + '\n';
  try {
    await mkdir(dirname(p), { recursive: true, mode: 0o700 });
    await writeFile(p, text, { mode: 0o600 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new UserError(`cannot write the rejects file ${p} (${code})`, code === 'ENOSPC' ? 'free disk space, then re-run' : 'give a writable --rejects PATH');
  }
  return p;
}
