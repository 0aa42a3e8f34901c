// Shared by the benches that race CrimeCast against a Python reference (files starting with "_" are not
// benchmarks for bench/run.mjs). The reference runs in a long-lived /usr/bin/python3 process that loads its data
// once and answers one fit per request, so the two sides alternate run by run (load on the shared machine hits
// both alike) instead of all of one side's runs before the other's.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

/** Python prelude: `serve(tasks)` answers {"task": name, ...} lines with the task's JSON result. */
export const PY_SERVE = `
import sys, json, time
def timed(fit):
  """Wall and CPU seconds of fit(), and its return value."""
  t = time.perf_counter(); c = time.process_time(); out = fit()
  return {'wall': time.perf_counter() - t, 'cpu': time.process_time() - c}, out
def serve(tasks):
  print(json.dumps({'ready': True}), flush=True)
  for line in sys.stdin:
    msg = json.loads(line)
    print(json.dumps(tasks[msg['task']](msg)), flush=True)
`;

/** Whether /usr/bin/python3 can import these modules; returns the first module's version or null. */
export function pythonHas(modules) {
  const r = spawnSync('/usr/bin/python3', ['-c', `import ${modules.join(', ')}; print(${modules[0]}.__version__)`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** A long-lived Python reference process; `threads` caps OpenMP and BLAS threads; `extraEnv` adds variables. */
export async function startPython(code, args, threads, extraEnv = {}) {
  const env = { ...process.env, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads), ...extraEnv };
  const child = spawn('/usr/bin/python3', ['-u', '-c', PY_SERVE + code, ...args], { env, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`the Python reference (${threads} thread(s)) exited early; see its error above`);
    return JSON.parse(value);
  };
  await next(); // ready: data loaded
  return {
    threads,
    async run(task, extra = {}) { child.stdin.write(JSON.stringify({ task, ...extra }) + '\n'); return next(); },
    close() { child.stdin.end(); },
  };
}

/** Wall and CPU seconds of fn() in this process, and its result. */
export function timeOnce(fn) {
  const t = performance.now(), c = process.cpuUsage();
  const result = fn();
  const dc = process.cpuUsage(c);
  return { wall: (performance.now() - t) / 1000, cpu: (dc.user + dc.system) / 1e6, result };
}

const sorted = (a) => [...a].sort((x, y) => x - y);
/** Median, min and max. */
export const stats = (a) => ({ median: sorted(a)[Math.floor(a.length / 2)], min: Math.min(...a), max: Math.max(...a) });
export const fmtStats = (s, digits = 2) => `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;

/**
 * One table of ratios (CrimeCast / reference, per alternating pair of runs: median, min, max). A row whose results
 * did not agree prints why instead of a ratio.
 */
export function printRatioTable(title, rows) {
  for (const r of rows) recordRatios(title, r);
  console.log(`\n${title}`);
  console.log('| task | threads (CrimeCast / reference) | timed on | CrimeCast s | reference s | ratio median (min–max) | agreement |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const ratio = r.agree ? fmtStats(stats(r.ours.map((o, i) => o / r.theirs[i]))) : 'not compared: results disagree';
    console.log(`| ${r.task} | ${r.threads} | ${r.clock} | ${fmtStats(stats(r.ours))} | ${fmtStats(stats(r.theirs))} | ${ratio} | ${r.agreement} |`);
  }
}

/**
 * Hands one row to `npm run bench`'s closing table (bench/run.mjs sets CRIMECAST_BENCH_SUMMARY to a JSON-lines
 * file; run alone, a bench only prints its own table). `ours`/`theirs`: seconds per alternating pair of runs;
 * `target`: the ratio the project aims at (e.g. 1.2), if any; `note`: what the row does not show.
 */
export function recordRatios(bench, { task, threads, clock, ours, theirs, agree, agreement, target, note }) {
  const file = process.env.CRIMECAST_BENCH_SUMMARY;
  if (!file) return;
  const ratios = agree ? ours.map((o, i) => o / theirs[i]) : null;
  appendFileSync(file, JSON.stringify({ bench, task, threads, clock, agree, agreement, target: target ?? null, note: note ?? null,
    ratio: ratios ? stats(ratios) : null, ours: stats(ours), theirs: stats(theirs) }) + '\n');
}
