import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bundleStore, CRASH_STAGES, crashAt } from './crash-harness.js';
import { describeWithServices, freshSchema, serviceUrl } from './services.js';

// A real crash against the server store: the child's connection dies with it, at each stage of the ingest's
// transaction (mid-COPY, after the merge into `incidents`, with COMMIT in flight, after COMMIT). The server must
// keep none or all of that ingest.
describeWithServices('PostgreSQL store: ingest killed at each stage of its transaction', ['CRIMECAST_TEST_PG_URL'], () => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-pgcrash-'));
  const drops: (() => Promise<void>)[] = [];
  let bundle: Awaited<ReturnType<typeof bundleStore>>;
  beforeAll(async () => { bundle = await bundleStore(); });
  afterAll(async () => {
    bundle?.remove();
    for (const drop of drops) await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const stage of CRASH_STAGES) {
    it(`killed at ${stage}: the store opens holding none or all of the ingest, and a re-run completes it once`, async () => {
      const sub = join(dir, stage);
      mkdirSync(sub);
      const { url, drop } = await freshSchema(serviceUrl('CRIMECAST_TEST_PG_URL')!, `crash_${stage}`);
      drops.push(drop);
      const outcome = await crashAt(stage, bundle.url, url, sub);
      expect(['none', 'all']).toContain(outcome);
    });
  }
});
