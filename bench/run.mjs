#!/usr/bin/env node
// Runs every benchmark script in bench/ (or those named on the command line), one after another,
// each in its own process so peak-RSS figures don't mix. Results are printed side by side with references.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const dir = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const scripts = readdirSync(dir)
  .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs' && !f.startsWith('_'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();
let failed = 0;
for (const s of scripts) {
  process.stdout.write(`\n=== bench/${s} ===\n`);
  const r = spawnSync(process.execPath, ['--max-old-space-size=8192', join(dir, s)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
