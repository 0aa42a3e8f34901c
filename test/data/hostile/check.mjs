// Runs one hostile case (corpus.mjs) through the library ingest and lists every way it went wrong. Shared by the
// vitest suite (src/ through vite) and bench/fuzz-ingest.mjs (dist/): the caller passes the store functions.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BOX } from './corpus.mjs';

/**
 * @param c a case from hostileCorpus
 * @param api { ingestFile, storeInfo, UserError } bound to an open store: ingestFile(path, opts), storeInfo(dataset?)
 * @param dir a scratch folder for the case's files
 * @returns { problems: string[], uncaught: boolean, silentDrop: boolean, inconsistent: boolean }
 */
export async function checkCase(c, api, dir) {
  const problems = [];
  const out = { problems, uncaught: false, silentDrop: false, inconsistent: false };
  const path = join(dir, c.name);
  if (c.directory) mkdirSync(path, { recursive: true });
  else writeFileSync(path, c.content);
  const opts = { ...c.opts, dataset: c.dataset };
  let rejectsPath = join(dir, `${c.name}.rejects.jsonl`);
  if (c.rejectsPath === 'under-a-file') { writeFileSync(join(dir, `${c.name}.blocker`), ''); rejectsPath = join(dir, `${c.name}.blocker`, 'sub', 'r.jsonl'); }
  else if (c.rejectsPath) rejectsPath = c.rejectsPath;
  opts.rejectsPath = rejectsPath;
  if (c.diskFull) opts.onStage = () => { throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' }); };

  let before = 0;
  if (c.before) {
    const p = join(dir, c.before.name);
    writeFileSync(p, c.before.content);
    const r = await api.ingestFile(p, { ...c.before.opts, dataset: c.dataset, rejectsPath: join(dir, `${c.before.name}.rejects.jsonl`) });
    before = r.ingested;
    if (before !== c.before.kept) problems.push(`first file: ${before} new, expected ${c.before.kept}`);
  }

  let summary, error;
  try {
    summary = await api.ingestFile(path, opts);
  } catch (err) {
    error = err;
  }
  const info = await datasetInfo(api, c.dataset);

  if (!c.expect.ok) {
    if (!error) problems.push('accepted a file that must be refused');
    else if (!(error instanceof api.UserError)) { out.uncaught = true; problems.push(`uncaught ${error?.name}: ${String(error?.message).slice(0, 200)}`); }
    else {
      if (!error.message.includes(c.name)) problems.push(`message does not name the file: ${error.message.slice(0, 200)}`);
      if (!c.expect.error.test(error.message)) problems.push(`message ${JSON.stringify(error.message.slice(0, 200))} does not match ${c.expect.error}`);
      if (!/nothing was (committed|ingested)/.test(error.message)) problems.push(`message does not say what was committed: ${error.message.slice(0, 200)}`);
    }
    if (info.incidents !== before) { out.inconsistent = true; problems.push(`store holds ${info.incidents} incidents after a refused file, expected ${before}`); }
    return out;
  }

  if (error) {
    if (!(error instanceof api.UserError)) out.uncaught = true;
    problems.push(`threw ${error?.name}: ${String(error?.message).slice(0, 200)}`);
    return out;
  }
  const e = c.expect;
  const expectedRows = e.kept + e.duplicates + e.rejects.length;
  if (summary.rows !== expectedRows) { out.silentDrop = true; problems.push(`${summary.rows} rows read, the file has ${expectedRows}`); }
  if (summary.ingested + summary.duplicates + summary.rejected !== summary.rows) {
    out.silentDrop = true;
    problems.push(`rows ${summary.rows} != new ${summary.ingested} + duplicates ${summary.duplicates} + rejected ${summary.rejected}`);
  }
  if (summary.ingested !== e.kept) { out.silentDrop = true; problems.push(`${summary.ingested} new, expected ${e.kept}`); }
  if (summary.duplicates !== e.duplicates) problems.push(`${summary.duplicates} duplicates, expected ${e.duplicates}`);
  const got = e.rejects.length ? readRejects(summary.rejectsFile, problems) : [];
  if (JSON.stringify(got) !== JSON.stringify(e.rejects)) problems.push(`rejects ${JSON.stringify(got)}, expected ${JSON.stringify(e.rejects)}`);
  if (e.rejects.length && summary.rejectsFile !== rejectsPath) problems.push(`rejects file ${summary.rejectsFile}, asked for ${rejectsPath}`);
  if (e.replaced !== undefined && (summary.read.encoding.replaced !== e.replaced || summary.read.encoding.rows !== e.replacedRows)) {
    problems.push(`replaced ${summary.read.encoding.replaced} chars on ${summary.read.encoding.rows} rows, expected ${e.replaced} on ${e.replacedRows}`);
  }
  // the store agrees with the summary, and holds nothing poisoned
  if (info.incidents !== e.kept) { out.inconsistent = true; problems.push(`info: ${info.incidents} incidents, expected ${e.kept}`); }
  if (info.rejects !== e.rejects.length) { out.inconsistent = true; problems.push(`info: ${info.rejects} rejects, expected ${e.rejects.length}`); }
  if (info.bbox && (info.bbox[0] < BOX[0] || info.bbox[1] < BOX[1] || info.bbox[2] > BOX[2] || info.bbox[3] > BOX[3])) {
    out.inconsistent = true;
    problems.push(`stored points outside the box: ${info.bbox.join(', ')}`);
  }
  if (info.from && (info.from < '2016-12-31' || info.to > '2018-01-02')) { out.inconsistent = true; problems.push(`stored times ${info.from} .. ${info.to}`); }
  if (e.distinctIds !== undefined && summary.ingested !== e.distinctIds) problems.push(`${summary.ingested} distinct ids, expected ${e.distinctIds}`);
  return out;
}

async function datasetInfo(api, dataset) {
  const none = { incidents: 0, rejects: 0, bbox: null, from: null, to: null };
  try {
    return (await api.storeInfo(dataset)).datasets[0] ?? none;
  } catch (err) {
    if (err instanceof api.UserError && /no dataset/.test(err.message)) return none; // nothing was ever stored under it
    throw err;
  }
}

function readRejects(file, problems) {
  if (!file || !existsSync(file)) { problems.push(`no rejects file (${file})`); return []; }
  const rows = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  for (const r of rows) if (typeof r.field !== 'string' || typeof r.raw !== 'string' || !r.raw.length) problems.push(`reject at line ${r.line} lacks field or raw text`);
  return rows.map((r) => [r.line, r.reason]).sort((a, b) => a[0] - b[0]);
}
