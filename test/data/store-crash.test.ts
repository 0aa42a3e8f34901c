import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { closeStore, ingestFile, openStore, storeInfo } from '../../src/data/store.js';
import { REPO_ROOT } from '../helpers.js';

// A real crash: a child process ingests and SIGKILLs itself mid-file, so no ROLLBACK ever runs; reopening the store
// must show it exactly as before. The child runs the compiled build (dist/, made by `npm ci` / `npm run build`).
const DIST_STORE = join(REPO_ROOT, 'dist', 'data', 'store.js');
const SAMPLE = join(REPO_ROOT, 'data/sample/chicago_2017_09_12.csv');
const BAD = join(REPO_ROOT, 'data/sample/bad_rows.csv');
const dir = mkdtempSync(join(tmpdir(), 'cc-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.runIf(existsSync(DIST_STORE))('ingest killed mid-file', () => {
  it('leaves the store as it was', async () => {
    const path = join(dir, 'store.duckdb');
    const s = await openStore(path);
    await ingestFile(s, BAD, { preset: 'stshn-chicago', dataset: 'chi' });
    closeStore(s);

    const script = `
      const { openStore, ingestFile } = await import(${JSON.stringify(pathToFileURL(DIST_STORE).href)});
      const s = await openStore(${JSON.stringify(path)});
      await ingestFile(s, ${JSON.stringify(SAMPLE)}, { preset: 'stshn-chicago', dataset: 'chi',
        onStage: (n) => { if (n > 0) { process.stdout.write('staged ' + n + '\\n'); process.kill(process.pid, 'SIGKILL'); } } });
      process.stdout.write('finished\\n');`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(r.signal).toBe('SIGKILL');
    expect(r.stdout).toMatch(/^staged \d+/);
    expect(r.stdout).not.toContain('finished');

    const again = await openStore(path);
    try {
      const info = (await storeInfo(again, 'chi')).datasets[0];
      expect([info.incidents, info.rejects, info.files]).toEqual([6, 7, ['bad_rows.csv']]);
      // and it is usable: the interrupted file now ingests in full
      const ok = await ingestFile(again, SAMPLE, { preset: 'stshn-chicago', dataset: 'chi' });
      expect(ok.ingested).toBe(53_062 - 2); // two bad_rows.csv rows are copies of the sample's first two
    } finally {
      closeStore(again);
    }
  });
});
