import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeStore, ingestFile, openStore, storeInfo, type Store } from '../../src/data/store.js';
import { UserError } from '../../src/util/errors.js';
import { Rng } from '../../src/util/rng.js';
// @ts-expect-error plain JS shared with bench/fuzz-ingest.mjs
import { hostileCase, hostileCorpus, KINDS } from './hostile/corpus.mjs';
// @ts-expect-error plain JS shared with bench/fuzz-ingest.mjs
import { checkCase } from './hostile/check.mjs';

// The adversarial suite of issue 20: seeded hostile inputs (bench/fuzz-ingest.mjs runs thousands), each checked for
// a refused file (UserError naming it, store unchanged) or exact good rows kept and bad rows rejected with line
// and reason, counts that add up, and a store whose `info` agrees — and that still opens afterwards.
const dir = mkdtempSync(join(tmpdir(), 'cc-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Outcome = { problems: string[]; uncaught: boolean; silentDrop: boolean; inconsistent: boolean };

async function runAll(cases: Iterable<{ index: number; kind: string; name: string }>, storeFile: string, reopenEvery = 50) {
  let store: Store = await openStore(storeFile);
  const api = { ingestFile: (p: string, o: object) => ingestFile(store, p, o), storeInfo: (d?: string) => storeInfo(store, d), UserError };
  const failures: string[] = [];
  const kinds = new Map<string, number>();
  let n = 0;
  try {
    for (const c of cases) {
      const caseDir = join(dir, `case${c.index}`);
      mkdirSync(caseDir, { recursive: true });
      const r = (await checkCase(c, api, caseDir)) as Outcome;
      kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
      if (r.problems.length) failures.push(`#${c.index} ${c.kind} ${c.name}: ${r.problems.join('; ')}`);
      if (++n % reopenEvery === 0) { closeStore(store); store = await openStore(storeFile); }
    }
  } finally {
    closeStore(store);
  }
  return { failures, kinds, n };
}

describe('hostile ingest corpus (seeded)', () => {
  it('200 generated inputs: no uncaught error, no silent drop, store consistent and reopenable', async () => {
    const rng = new Rng(20);
    const cases = [...hostileCorpus(200, () => rng.random())];
    const { failures, kinds, n } = await runAll(cases, join(dir, 'fuzz.duckdb'));
    expect(failures.slice(0, 10)).toEqual([]);
    expect(n).toBe(200);
    // every kind but the rare, slow one is drawn at least once
    for (const k of Object.keys(KINDS)) if (k !== 'too-many-categories') expect(kinds.get(k) ?? 0, k).toBeGreaterThan(0);
    // the store reopens and agrees with itself
    const s = await openStore(join(dir, 'fuzz.duckdb'));
    try {
      const info = await storeInfo(s);
      for (const d of info.datasets) expect(d.unreadable ?? 0).toBe(0);
    } finally {
      closeStore(s);
    }
  }, 120_000);

  it('more than 65,536 categories is refused, naming the file, with nothing committed', async () => {
    const rng = new Rng(7);
    const c = hostileCase(9999, 'too-many-categories', () => rng.random());
    const { failures } = await runAll([c], join(dir, 'cats.duckdb'));
    expect(failures).toEqual([]);
  }, 60_000);
});
