/**
 * The access log: one JSON line per access to incident-level data (who, when, which endpoint, which dataset and how
 * many records) — never the records themselves. Appended synchronously so a crash cannot lose an entry that was served.
 */
import { appendFileSync, closeSync, existsSync, fstatSync, mkdirSync, openSync, readSync } from 'node:fs';
import { dirname } from 'node:path';

export interface AccessEntry {
  time: string;
  user: string;
  role: string;
  action: string;
  dataset?: string;
  records?: number;
  query?: Record<string, string | number | undefined>;
}

export class AccessLog {
  private memory: AccessEntry[] = [];
  constructor(readonly path: string | null) {
    if (path) mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  }

  write(e: Omit<AccessEntry, 'time'>): void {
    const entry = { time: new Date().toISOString(), ...e };
    if (this.path) appendFileSync(this.path, JSON.stringify(entry) + '\n', { mode: 0o600 });
    else this.memory.push(entry);
  }

  /** The latest entries, newest first. Reads only the end of the file: the log grows with every map a viewer reads. */
  tail(n: number): AccessEntry[] {
    if (!this.path) return this.memory.slice(-n).reverse();
    if (!existsSync(this.path)) return [];
    return lastLines(this.path, n).map((l) => JSON.parse(l) as AccessEntry).reverse();
  }
}

/** The last `n` non-empty lines of a file, read backwards in chunks. */
function lastLines(path: string, n: number): string[] {
  const fd = openSync(path, 'r');
  try {
    const chunk = 256 * 1024;
    let pos = fstatSync(fd).size, text = '', lines: string[] = [];
    let carry = Buffer.alloc(0);
    while (pos > 0) {
      const len = Math.min(chunk, pos);
      pos -= len;
      const buf = Buffer.alloc(len);
      readSync(fd, buf, 0, len, pos);
      carry = Buffer.concat([buf, carry]);
      // split only at newlines (a chunk may end inside a multi-byte character)
      const cut = pos > 0 ? carry.indexOf(10) : 0;
      if (cut < 0) continue;
      text = carry.subarray(cut).toString('utf8');
      lines = text.split('\n').filter(Boolean);
      if (lines.length >= n) break;
    }
    return lines.slice(-n);
  } finally {
    closeSync(fd);
  }
}
