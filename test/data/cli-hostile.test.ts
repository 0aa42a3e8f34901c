import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeStore, openStore, storeInfo } from '../../src/data/store.js';
import { hasBuild, REPO_ROOT } from '../helpers.js';

// Issue 20 at the command line: hostile files end with exit code 2 and one clear message naming the file and
// what was committed — never a stack trace. Runs the compiled CLI (dist/), as a user would.
const dir = mkdtempSync(join(tmpdir(), 'cc-cli-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const store = join(dir, 'store.duckdb');
const GOOD = 'id,time,category,lat,lon\n1,2017-09-05 12:00,THEFT,41.85,-87.65\n2,2017-09-05 13:00,BATTERY,41.8,-87.6\n';
const FLAGS = ['--time-col', 'time', '--category-col', 'category', '--lat-col', 'lat', '--lon-col', 'lon', '--id-col', 'id', '--tz', 'America/Chicago'];

async function datasets(): Promise<string[]> {
  const s = await openStore(store);
  try {
    return (await storeInfo(s)).datasets.map((d) => d.dataset);
  } finally {
    closeStore(s);
  }
}

function crimecast(...args: string[]) {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/crimecast.js'), ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe.runIf(hasBuild('cli/main.js'))('crimecast ingest on hostile files', () => {
  it('exits 2 naming the file for a directory and a broken Parquet file; the store stays empty', async () => {
    const folder = join(dir, 'folder.csv');
    mkdirSync(folder);
    const parquet = join(dir, 'broken.parquet');
    writeFileSync(parquet, 'PAR1 this is not parquet PAR1');
    for (const f of [folder, parquet]) {
      const r = crimecast('ingest', f, ...FLAGS, '--dataset', 'd', '--store', store);
      expect(r.code, f).toBe(2);
      expect(r.err).toContain(f);
      expect(r.err).toContain('nothing was committed');
      expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
    }
    expect(await datasets()).toEqual([]);
  });

  it('with several files, a failure says which earlier files are already committed', () => {
    const good = join(dir, 'good.csv');
    writeFileSync(good, GOOD);
    const folder = join(dir, 'second.csv');
    mkdirSync(folder);
    const r = crimecast('ingest', good, folder, ...FLAGS, '--dataset', 'multi', '--store', store);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`already committed before it: good.csv → multi (2 new)`);
    const utc = crimecast('ingest', good, ...FLAGS, '--tz', 'UTC', '--dataset', 'multi', '--store', store);
    expect(utc.code).toBe(2);
    expect(utc.err).toContain('holds times in America/Chicago');
  });

  it('an unwritable --rejects path exits 2 before anything is committed', async () => {
    const f = join(dir, 'with-bad-row.csv');
    writeFileSync(f, GOOD + '3,yesterday,THEFT,41.85,-87.65\n');
    writeFileSync(join(dir, 'a-file'), '');
    const r = crimecast('ingest', f, ...FLAGS, '--dataset', 'rej', '--store', store, '--rejects', join(dir, 'a-file', 'r.jsonl'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cannot write the rejects file .*a-file.*nothing was committed/);
    expect(await datasets()).not.toContain('rej');
  });

  it('reports undecodable characters with their lines and the --encoding fix', () => {
    const f = join(dir, 'latin1.csv');
    writeFileSync(f, Buffer.from('id,time,category,lat,lon\n1,2017-09-05 12:00,VOL AGGRAV\xc9,41.85,-87.65\n', 'latin1'));
    const r = crimecast('ingest', f, ...FLAGS, '--dataset', 'enc', '--store', store);
    expect(r.code).toBe(0);
    expect(r.out).toContain('warning: 1 character(s) on 1 row(s) are not valid utf-8 and were replaced by U+FFFD (lines 2)');
    expect(r.out).toContain('--encoding windows-1252');
  });
});
