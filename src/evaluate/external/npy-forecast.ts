/**
 * A count forecast as a NumPy .npy tensor of the test periods, in one of two layouts:
 * - grid: (rows, cols, periods, categories), region = row · cols + col — the ST-HSL / ST-SHN benchmark layout;
 * - tensor: (periods, regions, categories) — CrimeCast's own tensor order (`crimecast tensor`); (periods, regions)
 *   when the run has one category.
 * Every value must be a finite number; negatives follow the spec's `negative` policy.
 */
import { readFileSync } from 'node:fs';
import { parseNpy } from '../../tensor/npy.js';
import { UserError } from '../../util/errors.js';
import { applyNegativePolicy } from './values-check.js';
import type { ExternalContext, ExternalSpec, ExternalValues } from './types.js';

export function loadNpyForecast(spec: ExternalSpec, ctx: ExternalContext, bytes = readFileSync(spec.file)): ExternalValues {
  const { tensor } = ctx;
  const T = ctx.testEnd - ctx.testStart, R = tensor.regions, C = tensor.categories;
  let a;
  // a Buffer's slice is a view into a shared pool: hand parseNpy a plain copy
  try { a = parseNpy(new Uint8Array(bytes), spec.file); } catch (err) { throw new UserError(`${spec.file}: not a readable .npy file (${(err as Error).message})`); }
  if (a.fortranOrder) throw new UserError(`${spec.file}: Fortran-ordered array; save it C-ordered (numpy.ascontiguousarray)`);
  if (a.data instanceof BigInt64Array) throw new UserError(`${spec.file}: int64 values; save the forecast as float32 or float64`);
  const shape = a.shape;
  const layout = spec.layout ?? (shape.length === 4 ? 'grid' : 'tensor');
  const src = a.data as ArrayLike<number>;
  const out = new Float32Array(T * R * C);
  const want = layout === 'grid' ? gridShapeText(ctx) : C === 1 ? `(${T}, ${R}) or (${T}, ${R}, 1)` : `(${T}, ${R}, ${C})`;
  const bad = () => new UserError(
    `${spec.file}: shape (${shape.join(', ')}) does not fit this run's ${T} test periods × ${R} regions × ${C} categories`,
    `save it as ${want} in the ${layout} layout${layout === 'grid' ? ' (rows, cols, periods, categories)' : ' (periods, regions, categories)'}`,
  );
  // index → the file's own index tuple, for error messages
  let where: (i: number) => string;
  if (layout === 'grid') {
    if (shape.length !== 4) throw bad();
    const [rows, cols, D, K] = shape;
    const lat = ctx.units?.lattice;
    if (rows * cols !== R || D !== T || K !== C || (lat && (lat.rows !== rows || lat.cols !== cols))) throw bad();
    for (let r = 0; r < R; r++) for (let d = 0; d < D; d++) for (let c = 0; c < C; c++) out[(d * R + r) * C + c] = src[(r * D + d) * C + c];
    where = (i) => { const c = i % C, d = Math.floor(i / C) % D, r = Math.floor(i / (C * D)); return `[${Math.floor(r / cols)}, ${r % cols}, ${d}, ${c}]`; };
  } else {
    const ok = (shape.length === 3 && shape[0] === T && shape[1] === R && shape[2] === C) || (C === 1 && shape.length === 2 && shape[0] === T && shape[1] === R);
    if (!ok) throw bad();
    out.set(src as ArrayLike<number>);
    where = (i) => `[${Math.floor(i / (R * C))}, ${Math.floor(i / C) % R}${shape.length === 3 ? `, ${i % C}` : ''}]`;
  }
  for (let i = 0; i < src.length; i++) {
    if (!Number.isFinite(src[i])) throw new UserError(`${spec.file}: value at index ${where(i)} is ${src[i]}`, 'every cell needs a finite forecast; fill or drop the gaps before scoring');
  }
  const notes = applyNegativePolicy(out, spec, (i) => {
    // out is period-major; report the file's own index
    const p = Math.floor(i / (R * C)), r = Math.floor(i / C) % R, c = i % C;
    return layout === 'grid' ? where((r * T + p) * C + c) : where(i);
  });
  return { kind: 'count', values: out, notes: [`${layout} layout, shape (${shape.join(', ')}), ${a.dtype}`, ...notes] };
}

function gridShapeText(ctx: ExternalContext): string {
  const lat = ctx.units?.lattice, T = ctx.testEnd - ctx.testStart, C = ctx.tensor.categories;
  return lat ? `(${lat.rows}, ${lat.cols}, ${T}, ${C})` : `(rows, cols, ${T}, ${C}) with rows × cols = ${ctx.tensor.regions}`;
}
