/**
 * The access log: one JSON line per access to incident-level data (who, when, which endpoint, which dataset and how
 * many records) — never the records themselves. Appended synchronously so a crash cannot lose an entry that was served.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
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

  /** The latest entries, newest first. */
  tail(n: number): AccessEntry[] {
    const all = this.path ? (existsSync(this.path) ? readFileSync(this.path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as AccessEntry) : []) : this.memory;
    return all.slice(-n).reverse();
  }
}
