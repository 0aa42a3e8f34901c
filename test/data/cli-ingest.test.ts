import { Command } from 'commander';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { register as registerIngest } from '../../src/cli/commands/ingest.js';
import { register as registerInfo } from '../../src/cli/commands/info.js';
import { UserError } from '../../src/util/errors.js';
import { REPO_ROOT } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'cc-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const BAD = join(REPO_ROOT, 'data/sample/bad_rows.csv');

/** Run the commands in-process and return what they wrote to stdout. */
async function run(...args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  registerIngest(program);
  registerInfo(program);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { out += String(chunk); return true; });
  try {
    await program.parseAsync(['node', 'crimecast', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out;
}

describe('crimecast ingest / info', () => {
  const store = join(dir, 'cli.duckdb');
  it('ingests with --json (one JSON object on stdout), then reports 0 new on a re-run', async () => {
    const first = JSON.parse(await run('ingest', BAD, '--preset', 'stshn-chicago', '--dataset', 'bad', '--store', store, '--rejects', join(dir, 'r.jsonl'), '--json'));
    expect(first.total).toEqual({ rows: 13, ingested: 6, duplicates: 0, rejected: 7 });
    expect(first.files[0].rejectsFile).toBe(join(dir, 'r.jsonl'));
    const second = JSON.parse(await run('ingest', BAD, '--preset', 'stshn-chicago', '--dataset', 'bad', '--store', store, '--json'));
    expect(second.total).toEqual({ rows: 13, ingested: 0, duplicates: 6, rejected: 7 });
    const info = JSON.parse(await run('info', '--store', store, '--json'));
    expect(info.datasets).toHaveLength(1);
    expect(info.datasets[0]).toMatchObject({ dataset: 'bad', incidents: 6, rejects: 7, tz: 'America/Chicago' });
    const human = await run('info', '--store', store);
    expect(human).toContain('dataset bad (America/Chicago): 6 incidents, 7 rejects');
  });

  it('fails fast on bad arguments with a hint that says how to fix them', async () => {
    await expect(run('ingest', BAD, '--preset', 'boston', '--store', store)).rejects.toThrow(UserError);
    const e = (await run('ingest', BAD, '--bbox', '1,2,3', '--preset', 'stshn-chicago', '--store', store).catch((x: unknown) => x)) as UserError;
    expect(e.hint).toMatch(/minLon,minLat,maxLon,maxLat/);
    const f = (await run('ingest', BAD, '--time-format', 'weird', '--preset', 'stshn-chicago', '--store', store).catch((x: unknown) => x)) as UserError;
    expect(f.hint).toMatch(/mdy/);
    await expect(run('info', '--store', join(dir, 'none.duckdb'))).rejects.toThrow(/no store at/);
  });
});
