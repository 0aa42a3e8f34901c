/** `crimecast nearrepeat`: Knox near-repeat test (distance × time bands, Monte Carlo permutation p-values). */
import type { Command } from 'commander';
import { localProjection } from '../../space/projection.js';
import { knoxTest } from '../../stats/nearrepeat/knox.js';
import { UserError } from '../../util/errors.js';
import { emit, info } from '../output.js';
import { startProgress } from '../progress.js';
import { addWindowOptions, loadWindowedIncidents, type WindowOptions } from './cluster.js';

interface NearRepeatOptions extends WindowOptions {
  distanceBands: string;
  timeBands: string;
  permutations: string;
  seed: string;
  json?: boolean;
}

function edges(s: string, what: string): number[] {
  const e = s.split(',').map((v) => Number(v.trim()));
  if (e.some((v) => !Number.isFinite(v))) throw new UserError(`${what}: expected comma-separated numbers, got "${s}"`);
  return e;
}

export function register(program: Command): void {
  const cmd = program
    .command('nearrepeat')
    .description('Knox test for near-repeat victimisation: observed vs permuted pair counts by distance and time band')
    .option('--distance-bands <metres>', 'ascending distance edges in metres', '0,100,200,400')
    .option('--time-bands <days>', 'ascending time edges in days', '0,7,14,28')
    .option('--permutations <n>', 'Monte Carlo permutations of event times', '99')
    .option('--seed <n>', 'random seed', '1')
    .option('--json', 'print one JSON object on stdout');
  addWindowOptions(cmd);
  cmd.action(async (o: NearRepeatOptions) => {
    const permutations = Number(o.permutations), seed = Number(o.seed);
    if (!Number.isInteger(permutations) || permutations < 1) throw new UserError(`--permutations must be a positive integer, got "${o.permutations}"`);
    const tbl = await loadWindowedIncidents(o);
    let sLat = 0, sLon = 0;
    for (let i = 0; i < tbl.n; i++) { sLat += tbl.lat[i]; sLon += tbl.lon[i]; }
    const { x, y } = localProjection(sLat / tbl.n, sLon / tbl.n).forward(tbl.lat, tbl.lon);
    if (!o.json) info(`Knox test on ${tbl.n} incidents, ${permutations} permutations`);
    const bar = startProgress('permutations', permutations);
    const res = knoxTest({ x, y, t: tbl.t }, {
      distanceBands: edges(o.distanceBands, '--distance-bands'), timeBands: edges(o.timeBands, '--time-bands'),
      permutations, seed, onProgress: (d, t) => bar.update(d, t),
    });
    bar.stop();
    emit(!!o.json, res, () => {
      const w = 22;
      const head = 'distance \\ time'.padEnd(14) + res.timeLabels.map((l) => l.padStart(w)).join('');
      const rows = res.distanceLabels.map((dl, r) => dl.padEnd(14) + res.timeLabels.map((_, c) => {
        const star = res.pValue[r][c] <= 0.01 ? '**' : res.pValue[r][c] <= 0.05 ? '* ' : '  ';
        const ratio = Number.isFinite(res.ratio[r][c]) ? res.ratio[r][c].toFixed(2) : '-';
        return `${res.observed[r][c]} x${ratio} p=${res.pValue[r][c].toFixed(3)}${star}`.padStart(w);
      }).join(''));
      return [`Knox test: ${res.n} events, ${res.closePairs} pairs within the largest distance band, ${res.permutations} permutations`,
        'cells: observed pairs, ratio observed/expected, Monte Carlo p (* ≤ 0.05, ** ≤ 0.01)', head, ...rows].join('\n');
    });
  });
}
