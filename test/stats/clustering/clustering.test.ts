import { describe, expect, it } from 'vitest';
import { chooseK } from '../../../src/stats/clustering/choose-k.js';
import { clusterIncidents } from '../../../src/stats/clustering/cluster-incidents.js';
import { dbscan } from '../../../src/stats/clustering/dbscan.js';
import { convexHull } from '../../../src/stats/clustering/hull.js';
import { kmeans } from '../../../src/stats/clustering/kmeans.js';
import { nnh, nnhThreshold } from '../../../src/stats/clustering/nnh.js';
import { normalQuantile } from '../../../src/util/special-functions.js';
import { stdbscan } from '../../../src/stats/clustering/stdbscan.js';
import { localProjection } from '../../../src/space/projection.js';
import { Rng } from '../../../src/util/rng.js';

const DAY = 86_400_000;

/** Gaussian blobs (label = blob index) plus optional uniform noise (label -1) over [0, side]². */
function blobs(centres: [number, number][], per: number, sd: number, noise = 0, side = 5000, seed = 1) {
  const rng = new Rng(seed);
  const x: number[] = [], y: number[] = [], truth: number[] = [];
  centres.forEach(([cx, cy], b) => { for (let i = 0; i < per; i++) { x.push(rng.normal(cx, sd)); y.push(rng.normal(cy, sd)); truth.push(b); } });
  for (let i = 0; i < noise; i++) { x.push(rng.random() * side); y.push(rng.random() * side); truth.push(-1); }
  return { x: Float64Array.from(x), y: Float64Array.from(y), truth: Int32Array.from(truth) };
}

/** Share of blob points whose cluster is their blob's majority cluster, each blob mapped to a distinct cluster. */
function recovery(labels: Int32Array, truth: Int32Array, blobsN: number): number {
  let ok = 0, total = 0;
  const used = new Set<number>();
  for (let b = 0; b < blobsN; b++) {
    const counts = new Map<number, number>();
    for (let i = 0; i < truth.length; i++) if (truth[i] === b) counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
    let best = -1, bc = 0;
    for (const [l, c] of counts) if (l >= 0 && c > bc && !used.has(l)) { best = l; bc = c; }
    used.add(best);
    ok += bc;
    total += [...counts.values()].reduce((a, c) => a + c, 0);
  }
  return ok / total;
}

const three: [number, number][] = [[0, 0], [2000, 0], [0, 2000]];

describe('k-means', () => {
  it('recovers three blobs and their centres', () => {
    const p = blobs(three, 100, 50);
    const r = kmeans(p, 3, { seed: 3 });
    expect(recovery(r.labels, p.truth, 3)).toBe(1);
    const found = Array.from({ length: 3 }, (_, j) => [r.cx[j], r.cy[j]]);
    for (const [cx, cy] of three) expect(Math.min(...found.map(([a, b]) => Math.hypot(a - cx, b - cy)))).toBeLessThan(15);
    expect(kmeans(p, 3, { seed: 3 }).labels).toEqual(r.labels);
  });

  it('chooses k = 3 by silhouette and by elbow', () => {
    const p = blobs(three, 100, 80, 0, 5000, 2);
    const s = chooseK(p, { kMin: 2, kMax: 7, seed: 1, sample: 200 });
    expect(s.k).toBe(3);
    expect(s.scores.find((v) => v.k === 3)!.score).toBeGreaterThan(0.8);
    expect(chooseK(p, { kMin: 1, kMax: 7, seed: 1, method: 'elbow' }).k).toBe(3);
  });
});

describe('DBSCAN and ST-DBSCAN', () => {
  it('finds two dense blobs and marks sparse background as noise', () => {
    const p = blobs([[1000, 1000], [3500, 3000]], 150, 40, 150);
    const r = dbscan(p, { eps: 60, minPts: 6 });
    expect(r.k).toBe(2);
    expect(recovery(r.labels, p.truth, 2)).toBeGreaterThan(0.97);
    let noiseAsNoise = 0;
    for (let i = 300; i < 450; i++) if (r.labels[i] === -1) noiseAsNoise++;
    expect(noiseAsNoise / 150).toBeGreaterThan(0.9);
  });

  it('separates same-place groups that are apart in time', () => {
    const p = blobs([[1000, 1000], [1000, 1000]], 60, 30, 0, 5000, 4);
    const t = Float64Array.from(p.truth, (b, i) => (b === 0 ? 0 : 60 * DAY) + (i % 10) * 0.5 * DAY);
    expect(dbscan(p, { eps: 60, minPts: 5 }).k).toBe(1);
    const st = stdbscan({ ...p, t }, { eps1: 60, eps2: 7 * DAY, minPts: 5 });
    expect(st.k).toBe(2);
    expect(recovery(st.labels, p.truth, 2)).toBeGreaterThan(0.95);
  });
});

describe('nearest-neighbour hierarchical clustering', () => {
  it('computes the CrimeStat threshold by hand', () => {
    expect(normalQuantile(0.1)).toBeCloseTo(-1.2815516, 6);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    // N = 100 on 1 km²: E = 0.5·√(10⁴) = 50 m, SE = 0.26136/√(10⁴/10⁶) = 2.6136 m; p = 0.1 → 50 − 1.28155·2.6136
    expect(nnhThreshold(100, 1e6, 0.1)).toBeCloseTo(50 - 1.2815516 * 2.6136, 4);
  });

  it('finds first-order blobs and groups them into second-order clusters', () => {
    const west: [number, number][] = [[1000, 2500], [1300, 2500], [1150, 2760]];
    const east: [number, number][] = [[3800, 2500], [4100, 2500], [3950, 2760]];
    const p = blobs([...west, ...east], 25, 10, 200, 5000, 6);
    const orders = nnh(p, { pValue: 0.1, minPoints: 10, minPointsHigher: 3 });
    expect(orders.length).toBe(2);
    expect(orders[0].clusters.length).toBe(6);
    expect(recovery(orders[0].labels, p.truth, 6)).toBeGreaterThan(0.99);
    expect(orders[1].clusters.length).toBe(2);
    expect(orders[1].clusters.map((c) => c.members)).toEqual([3, 3]);
    // every blob point of the west group shares one second-order cluster, the east group the other
    const w = orders[1].labels[0], e = orders[1].labels[3 * 25];
    expect(w).not.toBe(e);
    for (let i = 0; i < 150; i++) expect(orders[1].labels[i]).toBe(i < 75 ? w : e);
    expect(orders[1].threshold).toBeGreaterThan(orders[0].threshold);
  });
});

describe('convex hull and GeoJSON output', () => {
  it('keeps the corners of a square counter-clockwise and drops interior and collinear points', () => {
    const x = [0, 10, 10, 0, 5, 5, 10], y = [0, 0, 10, 10, 5, 0, 5];
    expect(convexHull(x, y, [0, 1, 2, 3, 4, 5, 6])).toEqual([0, 1, 2, 3]);
    expect(convexHull([0, 1, 2], [0, 1, 2], [0, 1, 2])).toEqual([0, 2]);
  });

  it('writes one hull feature per cluster with summaries', () => {
    const p = blobs([[500, 500], [2500, 2500]], 80, 30, 40, 3000, 8);
    const proj = localProjection(41.88, -87.63);
    const ll = proj.inverse(p.x, p.y);
    const out = clusterIncidents({ lat: ll.lat, lon: ll.lon, t: Float64Array.from(p.x, (_, i) => i * DAY) }, { method: 'dbscan', eps: 50, minPts: 5 });
    expect(out.clusters.length).toBe(2);
    expect(out.geojson.type).toBe('FeatureCollection');
    expect(out.geojson.features.length).toBe(2);
    for (const f of out.geojson.features) {
      expect(f.geometry.type).toBe('Polygon');
      const ring = (f.geometry.coordinates as number[][][])[0];
      expect(ring[0]).toEqual(ring[ring.length - 1]);
    }
    const big = out.clusters.reduce((a, c) => (c.size > a.size ? c : a));
    expect(big.size).toBeGreaterThanOrEqual(78);
    // a 30 m-sd blob: hull area of the order of (6σ)² and mean distance ≈ σ·√(π/2) ≈ 38 m
    expect(big.areaM2).toBeGreaterThan(10_000);
    expect(big.areaM2).toBeLessThan(60_000);
    expect(big.meanDistanceM).toBeGreaterThan(28);
    expect(big.meanDistanceM).toBeLessThan(48);
    expect(typeof big.start).toBe('string');
  });
});
