#!/usr/bin/env node
// CLI start-up cost: CPU time and peak memory of `crimecast --version`, `models` and `--help`, each the median
// of `runs` fresh processes (CPU time, not wall: the machine is shared). The CPU figure is the process's own
// user + system time read in an exit hook, so node's start-up is included. Target (issue 21): --version < 0.2 s.
// usage: npm run build && node bench/start-up.mjs [runs=7]
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[2] ?? 7);
if (!(Number.isInteger(runs) && runs >= 1)) throw new Error(`runs must be a positive integer, got "${process.argv[2]}"`);
const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'crimecast.js');
const hook = `data:text/javascript,${encodeURIComponent("import { writeSync } from 'node:fs';"
  + "process.on('exit', () => { const u = process.cpuUsage(), m = process.resourceUsage().maxRSS;"
  + "writeSync(2, `\\nSTARTUP ${(u.user + u.system) / 1e6} ${m}\\n`); });")}`;
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

const rows = [];
for (const args of [['--version'], ['models'], ['--help']]) rows.push({ args, cpu: [], rss: [] });
// commands alternate run by run, so load on the machine spreads over all of them
for (let r = 0; r < runs; r++) {
  for (const row of rows) {
    const res = spawnSync(process.execPath, ['--import', hook, bin, ...row.args], { encoding: 'utf8' });
    const m = /STARTUP ([\d.]+) (\d+)/.exec(res.stderr);
    if (res.status !== 0 || !m) throw new Error(`crimecast ${row.args.join(' ')} failed (status ${res.status}):\n${res.stderr}`);
    row.cpu.push(Number(m[1])); row.rss.push(Number(m[2]) / 1024);
  }
}
console.log(`CLI start-up, median of ${runs} runs (min–max): CPU seconds, peak RSS MiB`);
for (const { args, cpu, rss } of rows) {
  console.log(`  crimecast ${args.join(' ').padEnd(10)} cpu ${median(cpu).toFixed(3)} s (${Math.min(...cpu).toFixed(3)}–${Math.max(...cpu).toFixed(3)})  rss ${median(rss).toFixed(0)} MiB`);
}
const v = median(rows[0].cpu);
console.log(`  --version target < 0.2 s CPU: ${v < 0.2 ? 'met' : 'NOT met'} (${v.toFixed(3)} s)`);
