/**
 * Real crashes for either store: a child process ingests a file and SIGKILLs itself at one stage of the ingest's
 * transaction (no ROLLBACK, no close, no exit handler runs), then the test reopens the store and checks it holds
 * either none of that ingest or all of it — by stage: nothing when killed before COMMIT was issued, everything once
 * COMMIT returned, one or the other when killed with COMMIT in flight — and that re-running the ingest completes it
 * exactly once.
 *
 * The child runs the store code from src/, bundled by esbuild (already used for the dashboard) into one file under
 * node_modules/.cache, so the test needs no dist/ build and always exercises the current source.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { expect } from 'vitest';
import { openIncidentStore } from '../../src/store/open.js';
import { REPO_ROOT } from '../helpers.js';

export const CRASH_STAGES = ['staging', 'merged', 'committing', 'committed'] as const;
export type CrashStage = (typeof CRASH_STAGES)[number];

const SAMPLE = join(REPO_ROOT, 'data/sample/chicago_2017_09_12.csv');
const BAD = join(REPO_ROOT, 'data/sample/bad_rows.csv');
/** Rows of the sample the child ingests (no header): 1.2 MB, two 1 MiB read batches, so a kill at the first staged
 * batch leaves rows still unread. */
const ROWS = 20_000;

/** Bundle src/store/open.ts for the child; returns its file URL and a cleanup. */
export async function bundleStore(): Promise<{ url: string; remove: () => void }> {
  const dir = join(REPO_ROOT, 'node_modules', '.cache', 'crimecast-crash-test');
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `store-${process.pid}-${Date.now().toString(36)}.mjs`);
  await build({
    entryPoints: [join(REPO_ROOT, 'src', 'store', 'open.ts')], bundle: true, platform: 'node', format: 'esm',
    target: 'node20', packages: 'external', outfile: out, logLevel: 'warning',
  });
  return { url: pathToFileURL(out).href, remove: () => rmSync(out, { force: true }) };
}

/** The first ROWS rows of the shipped sample, written to `dir`; the file name is what the store records. */
export function writeSubset(dir: string): string {
  const lines = readFileSync(SAMPLE, 'utf8').split('\n');
  const path = join(dir, 'chicago_subset.csv');
  writeFileSync(path, lines.slice(0, ROWS).join('\n') + '\n');
  return path;
}

/** Run the child: ingest `file` into `location` as dataset 'chi' and SIGKILL itself at `stage`. */
function killedIngest(bundleUrl: string, location: string, file: string, rejectsPath: string, stage: CrashStage) {
  const script = `
    const { openIncidentStore } = await import(${JSON.stringify(bundleUrl)});
    const stage = ${JSON.stringify(stage)};
    const die = (what) => { process.stdout.write('killed at ' + what + '\\n'); process.kill(process.pid, 'SIGKILL'); };
    const s = await openIncidentStore(${JSON.stringify(location)});
    await s.ingestFile(${JSON.stringify(file)}, { preset: 'stshn-chicago', dataset: 'chi', rejectsPath: ${JSON.stringify(rejectsPath)},
      onStage: (n) => { if (stage === 'staging' && n > 0) die('staging ' + n); },
      onStep: (step) => { if (step === stage) die(step); } });
    process.stdout.write('finished\\n');`;
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
}

async function datasetState(location: string) {
  const s = await openIncidentStore(location); // must open after the crash
  try {
    const d = (await s.info('chi')).datasets[0];
    return { incidents: d.incidents, files: [...d.files].sort() };
  } finally {
    await s.close();
  }
}

/**
 * One crash at `stage` into a fresh store at `location` that already holds bad_rows.csv (6 incidents, two of them
 * copies of the sample's first rows). Returns what the crash left: 'none' or 'all'.
 */
export async function crashAt(stage: CrashStage, bundleUrl: string, location: string, dir: string): Promise<'none' | 'all'> {
  const file = writeSubset(dir);
  const base = await openIncidentStore(location);
  try {
    await base.ingestFile(BAD, { preset: 'stshn-chicago', dataset: 'chi', rejectsPath: join(dir, 'bad.jsonl') });
  } finally {
    await base.close();
  }
  const before = await datasetState(location);
  expect(before).toEqual({ incidents: 6, files: ['bad_rows.csv'] });

  const r = killedIngest(bundleUrl, location, file, join(dir, 'crash.jsonl'), stage);
  expect(r.stderr).not.toMatch(/Error/);
  expect(r.signal, `child exited ${r.status}: ${r.stdout}${r.stderr}`).toBe('SIGKILL');
  expect(r.stdout.trim()).toMatch(new RegExp(`^killed at ${stage}\\b`));
  if (stage === 'staging') expect(Number(r.stdout.trim().split(' ').pop())).toBeLessThan(ROWS); // rows still unread

  const after = await datasetState(location);
  const all = { incidents: 6 + ROWS - 2, files: ['bad_rows.csv', 'chicago_subset.csv'] };
  // all or nothing, across tables: the incidents and the ingest's log row appear together or not at all
  const outcome = after.incidents === before.incidents ? 'none' : 'all';
  expect(after, `after a kill at ${stage}`).toEqual(outcome === 'none' ? before : all);
  if (stage === 'staging' || stage === 'merged') expect(outcome, 'killed before COMMIT was issued').toBe('none');
  if (stage === 'committed') expect(outcome, 'killed after COMMIT returned').toBe('all');

  // re-running the ingest completes it exactly once, and a further run adds nothing
  const s = await openIncidentStore(location);
  try {
    const again = await s.ingestFile(file, { preset: 'stshn-chicago', dataset: 'chi', rejectsPath: join(dir, 'again.jsonl') });
    expect(again.ingested).toBe(outcome === 'none' ? ROWS - 2 : 0);
    const third = await s.ingestFile(file, { preset: 'stshn-chicago', dataset: 'chi', rejectsPath: join(dir, 'third.jsonl') });
    expect([third.rows, third.ingested, third.duplicates]).toEqual([ROWS, 0, ROWS]);
  } finally {
    await s.close();
  }
  expect((await datasetState(location)).incidents).toBe(all.incidents);
  return outcome;
}
