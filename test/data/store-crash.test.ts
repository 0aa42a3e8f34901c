import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleStore, CRASH_STAGES, crashAt } from '../store/crash-harness.js';

// A real crash of the embedded store: a child process SIGKILLs itself while staging, after the merge into
// `incidents`, with COMMIT in flight and just after COMMIT; the reopened store holds none or all of that ingest.
describe('DuckDB store: ingest killed at each stage of its transaction', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-crash-'));
  let bundle: Awaited<ReturnType<typeof bundleStore>>;
  beforeAll(async () => { bundle = await bundleStore(); });
  afterAll(() => {
    bundle?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const stage of CRASH_STAGES) {
    it(`killed at ${stage}: the store opens holding none or all of the ingest, and a re-run completes it once`, async () => {
      const sub = join(dir, stage);
      mkdirSync(sub);
      const outcome = await crashAt(stage, bundle.url, join(sub, 'store.duckdb'), sub);
      expect(['none', 'all']).toContain(outcome);
    });
  }
});
