/** `crimecast cluster`: hot-spot clusters of incidents (k-means, DBSCAN, ST-DBSCAN, CrimeStat NNH) as GeoJSON hulls. */
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { selectIncidents, type IncidentTable } from '../../data/incident-table.js';
import { clusterIncidents, type ClusterMethod } from '../../stats/clustering/cluster-incidents.js';
import { localDateToUtc } from '../../time/bins.js';
import { UserError } from '../../util/errors.js';
import { emit, info } from '../output.js';
import { addIncidentSourceOptions, loadCommandIncidents, splitList, type IncidentSourceOptions } from '../incident-source.js';

export interface WindowOptions extends IncidentSourceOptions {
  from?: string;
  to?: string;
  category?: string;
  dropFirstRow?: boolean;
}

export function addWindowOptions(cmd: Command): Command {
  cmd
    .option('--from <date>', 'first local date YYYY-MM-DD')
    .option('--to <date>', 'last local date YYYY-MM-DD (inclusive)')
    .option('--category <list>', 'comma-separated categories to keep');
  return addIncidentSourceOptions(cmd);
}

/** Load incidents and apply the date window and categories (a file source has no query, so filter here too). */
export async function loadWindowedIncidents(o: WindowOptions): Promise<IncidentTable> {
  const cats = o.category ? splitList(o.category) : undefined;
  const all = await loadCommandIncidents({ ...o, categories: o.category });
  const from = o.from ? localDateToUtc(o.from, all.tz) : -Infinity;
  const to = o.to ? localDateToUtc(o.to, all.tz) + 86_400_000 : Infinity; // inclusive last day (DST days differ by an hour at most)
  const keepCat = cats ? new Set(cats.map((c) => all.categories.indexOf(c)).filter((k) => k >= 0)) : null;
  if (cats && keepCat!.size === 0) throw new UserError(`none of the categories ${cats.join(', ')} occur`, `categories present: ${all.categories.slice(0, 20).join(', ')}`);
  const tbl = selectIncidents(all, (i) => all.t[i] >= from && all.t[i] < to && (!keepCat || keepCat.has(all.cat[i])) && Number.isFinite(all.lat[i]) && Number.isFinite(all.lon[i]));
  if (tbl.n === 0) throw new UserError('no located incidents match the selection');
  return tbl;
}

const num = (v: string) => {
  const x = Number(v);
  if (!Number.isFinite(x)) throw new UserError(`not a number: "${v}"`);
  return x;
};

interface ClusterCommandOptions extends WindowOptions {
  method: string;
  k?: number;
  kMin?: number;
  kMax?: number;
  kSelect?: string;
  eps?: number;
  epsDays?: number;
  minPts?: number;
  pValue?: number;
  minPoints?: number;
  minPointsHigher?: number;
  areaKm2?: number;
  fixedDistance?: number;
  seed?: number;
  out: string;
  assignments?: string;
  json?: boolean;
}

const METHODS: ClusterMethod[] = ['kmeans', 'dbscan', 'stdbscan', 'nnh'];

export function register(program: Command): void {
  const cmd = program
    .command('cluster')
    .description('cluster incidents into hot spots and write convex hulls as GeoJSON')
    .requiredOption('--method <name>', `clustering method: ${METHODS.join(' | ')}`)
    .option('--k <n>', 'kmeans: number of clusters (otherwise chosen in --k-min..--k-max)', num)
    .option('--k-min <n>', 'kmeans: smallest k tried', num)
    .option('--k-max <n>', 'kmeans: largest k tried', num)
    .option('--k-select <rule>', 'kmeans: silhouette | elbow', 'silhouette')
    .option('--eps <metres>', 'dbscan/stdbscan: neighbourhood radius in metres', num)
    .option('--eps-days <days>', 'stdbscan: time radius in days', num)
    .option('--min-pts <n>', 'dbscan/stdbscan: neighbours (including itself) for a core point', num)
    .option('--p-value <p>', 'nnh: one-tailed probability for the threshold distance', num)
    .option('--min-points <n>', 'nnh: minimum incidents per first-order cluster', num)
    .option('--min-points-higher <n>', 'nnh: minimum clusters per higher-order cluster', num)
    .option('--area-km2 <a>', 'nnh: study area in km² (default: bounding rectangle)', num)
    .option('--fixed-distance <metres>', 'nnh: fixed threshold distance instead of the random-NN one', num)
    .option('--seed <n>', 'random seed (kmeans)', num, 1)
    .requiredOption('--out <file>', 'output GeoJSON FeatureCollection of cluster hulls')
    .option('--assignments <file>', 'also write a CSV of incident id, cluster (-1 = noise)')
    .option('--json', 'print one JSON object on stdout');
  addWindowOptions(cmd);
  cmd.action(async (o: ClusterCommandOptions) => {
    if (!METHODS.includes(o.method as ClusterMethod)) throw new UserError(`unknown clustering method "${o.method}"`, `use one of ${METHODS.join(', ')}`);
    if (o.kSelect !== 'silhouette' && o.kSelect !== 'elbow') throw new UserError(`--k-select must be silhouette or elbow, got "${o.kSelect}"`);
    const tbl = await loadWindowedIncidents(o);
    if (!o.json) info(`clustering ${tbl.n} incidents with ${o.method}`);
    let res;
    try {
      res = clusterIncidents({ lat: tbl.lat, lon: tbl.lon, t: tbl.t }, {
        method: o.method as ClusterMethod, seed: o.seed, k: o.k, kMin: o.kMin, kMax: o.kMax, kSelect: o.kSelect,
        eps: o.eps, epsDays: o.epsDays, minPts: o.minPts, pValue: o.pValue, minPoints: o.minPoints,
        minPointsHigher: o.minPointsHigher, area: o.areaKm2 !== undefined ? o.areaKm2 * 1e6 : undefined, fixedDistance: o.fixedDistance,
      });
    } catch (err) {
      if (err instanceof UserError) throw err;
      throw new UserError((err as Error).message); // parameter problems (k > n, eps ≤ 0 …) are the user's to fix
    }
    writeFileSync(o.out, JSON.stringify(res.geojson) + '\n');
    if (o.assignments) {
      const lines = ['id,cluster'];
      for (let i = 0; i < tbl.n; i++) lines.push(`${csvCell(tbl.id[i])},${res.labels[i]}`);
      writeFileSync(o.assignments, lines.join('\n') + '\n');
    }
    let noise = 0;
    for (const l of res.labels) if (l < 0) noise++;
    const result = { method: res.method, incidents: tbl.n, clusters: res.clusters.length, unclustered: noise, out: o.out, details: res.details, summaries: res.clusters };
    emit(!!o.json, result, () => {
      const top = [...res.clusters].sort((a, b) => b.size - a.size).slice(0, 10);
      return [
        `wrote ${o.out}: ${res.clusters.length} clusters from ${tbl.n} incidents (${noise} unclustered)`,
        ...top.map((c) => `  #${c.id}: ${c.size} incidents at ${c.centroidLat.toFixed(5)},${c.centroidLon.toFixed(5)}, hull ${(c.areaM2 / 1e6).toFixed(3)} km²`),
      ].join('\n');
    });
  });
}

function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
