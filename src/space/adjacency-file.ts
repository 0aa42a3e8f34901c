/**
 * Region graphs from the user: an edge list CSV (one `a,b` pair of unit ids a line, optional header), an n × n
 * .npy matrix (non-zero = neighbours, rows and columns in unit order), or a graph derived from the units themselves
 * (shared boundary, or centroids within a distance). Every graph/deep model reads `units.adjacency`, and the
 * spatial statistics' contiguity weights do too, so swapping the adjacency is all a user graph needs.
 * Edges are undirected: an asymmetric matrix is symmetrised (A or Aᵀ) and the note says how many pairs it fixed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { readNpy, npyToFloat64 } from '../tensor/npy.js';
import { UserError } from '../util/errors.js';
import { boundaryAdjacency } from './polygons.js';
import { adjacencyFromLists, type Adjacency, type SpatialUnits } from './units.js';

export type AdjacencySource =
  | string
  | { derive: 'shared-boundary'; kind: 'rook' | 'queen' }
  | { derive: 'distance'; metres: number };

export const ADJACENCY_HELP = 'FILE.csv (edge list "a,b" of unit ids) | FILE.npy (n × n matrix, non-zero = neighbours) | boundary[:rook|queen] | distance:METRES';

/** The command-line form: a file, boundary[:rook|queen], or distance:METRES. */
export function parseAdjacencyArg(text: string): AdjacencySource {
  const m = /^boundary(?::(rook|queen))?$/.exec(text);
  if (m) return { derive: 'shared-boundary', kind: (m[1] as 'rook' | 'queen' | undefined) ?? 'queen' };
  const d = /^distance:(.+)$/.exec(text);
  if (d) {
    const metres = Number(d[1]);
    if (!(metres > 0)) throw new UserError(`bad --adjacency "${text}": the distance must be a positive number of metres`, `forms: ${ADJACENCY_HELP}`);
    return { derive: 'distance', metres };
  }
  return text;
}

function fromSets(sets: Set<number>[]): Adjacency {
  return adjacencyFromLists(sets.map((s) => [...s].sort((a, b) => a - b)));
}

function readEdgeList(path: string, units: SpatialUnits): { adj: Adjacency; notes: string[] } {
  const index = new Map(units.ids.map((id, i) => [id, i]));
  const sets = units.ids.map(() => new Set<number>());
  const lines = readFileSync(path, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
  let edges = 0, selfLoops = 0, seen = 0;
  lines.forEach((raw, k) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const first = seen++ === 0;
    const parts = line.split(',').map((s) => s.trim().replace(/^"(.*)"$/, '$1'));
    if (parts.length !== 2) throw new UserError(`${path}:${k + 1}: expected two unit ids "a,b", got ${parts.length} field(s)`);
    const [a, b] = parts.map((id) => index.get(id));
    if (a === undefined || b === undefined) {
      if (first && a === undefined && b === undefined) return; // a header row ("a,b", "from,to")
      const bad = a === undefined ? parts[0] : parts[1];
      throw new UserError(`${path}:${k + 1}: unknown unit id "${bad}"`, `ids are the units' own (${units.ids.slice(0, 4).join(', ')}, … of ${units.n}); list pairs of those`);
    }
    if (a === b) { selfLoops++; return; }
    sets[a].add(b); sets[b].add(a);
    edges++;
  });
  if (edges === 0) throw new UserError(`${path}: no edges`, 'one "a,b" pair of unit ids per line');
  return { adj: fromSets(sets), notes: selfLoops ? [`${selfLoops} self-loop(s) ignored`] : [] };
}

function readMatrix(path: string, units: SpatialUnits): { adj: Adjacency; notes: string[] } {
  const a = readNpy(path);
  const n = units.n;
  if (a.shape.length !== 2 || a.shape[0] !== n || a.shape[1] !== n) {
    throw new UserError(`${path}: adjacency matrix has shape (${a.shape.join(', ')}); the units have ${n} regions`, `give an ${n} × ${n} matrix with rows and columns in unit order (${units.ids.slice(0, 3).join(', ')}, …)`);
  }
  const m = npyToFloat64(a);
  const sets = units.ids.map(() => new Set<number>());
  let asym = 0, diag = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = m[i * n + j];
      if (!Number.isFinite(v)) throw new UserError(`${path}: entry (${i}, ${j}) is ${v}`, 'the matrix must be finite (0 = not neighbours)');
      if (v === 0) continue;
      if (i === j) { diag++; continue; }
      if (j > i && m[j * n + i] === 0) asym++;
      if (j < i && m[j * n + i] === 0) asym++;
      sets[i].add(j); sets[j].add(i);
    }
  }
  const notes = [];
  if (asym) notes.push(`matrix not symmetric: ${asym} pair(s) listed one way only were made neighbours both ways (A or Aᵀ)`);
  if (diag) notes.push(`${diag} non-zero diagonal entr${diag === 1 ? 'y' : 'ies'} ignored (a region is not its own neighbour)`);
  return { adj: fromSets(sets), notes };
}

/** Centroids within `metres` of each other (haversine). */
export function distanceAdjacency(units: SpatialUnits, metres: number): Adjacency {
  const n = units.n, R = 6_371_008.8, rad = Math.PI / 180;
  const lat = Float64Array.from(units.centroidLat, (v) => v * rad), lon = Float64Array.from(units.centroidLon, (v) => v * rad);
  const cosLat = lat.map(Math.cos);
  const lists: number[][] = Array.from({ length: n }, () => []);
  const maxDLat = metres / R;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (Math.abs(lat[i] - lat[j]) > maxDLat) continue;
      const s1 = Math.sin((lat[j] - lat[i]) / 2), s2 = Math.sin((lon[j] - lon[i]) / 2);
      const d = 2 * R * Math.asin(Math.min(1, Math.sqrt(s1 * s1 + cosLat[i] * cosLat[j] * s2 * s2)));
      if (d <= metres) { lists[i].push(j); lists[j].push(i); }
    }
  }
  return adjacencyFromLists(lists.map((l) => l.sort((a, b) => a - b)));
}

/** The adjacency a source describes, and notes for the user (what was fixed, how many regions have no neighbour). */
export function loadAdjacency(source: AdjacencySource, units: SpatialUnits): { adjacency: Adjacency; note: string } {
  let adj: Adjacency, notes: string[] = [], what: string;
  if (typeof source === 'string') {
    if (!existsSync(source)) throw new UserError(`adjacency file ${source} not found`, `forms: ${ADJACENCY_HELP}`);
    const ext = extname(source).toLowerCase();
    if (ext === '.npy') ({ adj, notes } = readMatrix(source, units));
    else if (ext === '.csv' || ext === '.txt') ({ adj, notes } = readEdgeList(source, units));
    else throw new UserError(`adjacency file ${source}: unknown kind "${ext}"`, `forms: ${ADJACENCY_HELP}`);
    what = source;
  } else if (source.derive === 'distance') {
    adj = distanceAdjacency(units, source.metres);
    what = `centroids within ${source.metres} m`;
  } else {
    adj = boundaryAdjacency(Array.from({ length: units.n }, (_, i) => units.geometry(i)), source.kind, 1e-7);
    what = `shared boundary (${source.kind})`;
  }
  let isolated = 0;
  for (let i = 0; i < units.n; i++) if (adj.offsets[i + 1] === adj.offsets[i]) isolated++;
  const edges = adj.neighbors.length / 2;
  if (isolated) notes.push(`${isolated} of ${units.n} regions have no neighbour`);
  return { adjacency: adj, note: `region graph: ${what}, ${edges} edges over ${units.n} regions${notes.length ? `; ${notes.join('; ')}` : ''}` };
}

/** The same units with another adjacency (all else, methods included, read through to the original). */
export function withAdjacency<U extends SpatialUnits>(units: U, adjacency: Adjacency): U {
  const out = Object.create(units) as U;
  Object.defineProperty(out, 'adjacency', { value: adjacency, enumerable: true });
  return out;
}
