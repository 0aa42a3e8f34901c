/** Region graphs from the user: edge lists, matrices, derived graphs, and the errors for each kind of bad file. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildStshnGrid } from '../../src/space/stshn-grid.js';
import { loadAdjacency, parseAdjacencyArg, withAdjacency } from '../../src/space/adjacency-file.js';
import { neighborsOf } from '../../src/space/units.js';
import { writeNpy } from '../../src/tensor/npy.js';

// 3 × 3 cells of 3 km: ids "0" … "8", region = row · 3 + col
const grid = () => buildStshnGrid({ minLat: -33.95, minLon: 151.1, rows: 3, cols: 3, kmPerDegLat: 111, kmPerDegLon: 92.4, cellKm: 3 });
const dir = () => mkdtempSync(join(tmpdir(), 'adj-'));
const lists = (adj: { offsets: Int32Array; neighbors: Int32Array }, n: number) => Array.from({ length: n }, (_, i) => [...neighborsOf(adj, i)]);

describe('adjacency from a file', () => {
  it('reads an edge list of unit ids (header, both directions, self-loops noted)', () => {
    const f = join(dir(), 'edges.csv');
    writeFileSync(f, 'from,to\n0,1\n1,0\n4,8\n"2",2\n');
    const { adjacency, note } = loadAdjacency(f, grid());
    expect(lists(adjacency, 9)).toEqual([[1], [0], [], [], [8], [], [], [], [4]]);
    expect(note).toMatch(/2 edges over 9 regions; 1 self-loop\(s\) ignored; 5 of 9 regions have no neighbour/);
  });

  it('names the line and the unknown id', () => {
    const f = join(dir(), 'edges.csv');
    writeFileSync(f, 'a,b\n0,1\n3,12\n');
    expect(() => loadAdjacency(f, grid())).toThrow(/edges\.csv:3: unknown unit id "12"/);
    writeFileSync(f, '0,1,2\n');
    expect(() => loadAdjacency(f, grid())).toThrow(/edges\.csv:1: expected two unit ids/);
  });

  it('symmetrises a one-way matrix with a note, ignores the diagonal, refuses a wrong shape', () => {
    const f = join(dir(), 'w.npy');
    const m = new Float64Array(81);
    m[0 * 9 + 1] = 1; m[1 * 9 + 0] = 1; // 0–1 both ways
    m[2 * 9 + 5] = 0.5; // 2→5 only
    m[4 * 9 + 4] = 1; // diagonal
    writeNpy(f, m, [9, 9]);
    const { adjacency, note } = loadAdjacency(f, grid());
    expect([...neighborsOf(adjacency, 5)]).toEqual([2]);
    expect([...neighborsOf(adjacency, 4)]).toEqual([]);
    expect(note).toMatch(/not symmetric: 1 pair\(s\) listed one way only/);
    expect(note).toMatch(/1 non-zero diagonal entry ignored/);
    writeNpy(f, new Float64Array(64), [8, 8]);
    expect(() => loadAdjacency(f, grid())).toThrow(/shape \(8, 8\); the units have 9 regions/);
  });

  it('derives graphs from the units: shared boundary equals the lattice queen graph, distance bands rook / queen', () => {
    const u = grid();
    expect(lists(loadAdjacency(parseAdjacencyArg('boundary'), u).adjacency, 9)).toEqual(lists(u.adjacency, 9));
    // centroids 3 km apart in a row or column, 4.24 km diagonally
    expect(loadAdjacency(parseAdjacencyArg('distance:3100'), u).adjacency.neighbors.length / 2).toBe(12);
    expect(loadAdjacency(parseAdjacencyArg('distance:4300'), u).adjacency.neighbors.length / 2).toBe(20);
    expect(() => parseAdjacencyArg('distance:-5')).toThrow(/positive number of metres/);
  });

  it('swaps only the adjacency: ids, areas and point assignment are the original units\'', () => {
    const u = grid();
    const f = join(dir(), 'e.csv');
    writeFileSync(f, '0,8\n');
    const v = withAdjacency(u, loadAdjacency(f, u).adjacency);
    expect([...neighborsOf(v.adjacency, 0)]).toEqual([8]);
    expect(v.ids).toEqual(u.ids);
    expect(v.n).toBe(9);
    expect([...v.assign(Float64Array.of(-33.94), Float64Array.of(151.11))]).toEqual([0]);
    expect([...neighborsOf(u.adjacency, 0)]).toEqual([1, 3, 4]);
  });
});
