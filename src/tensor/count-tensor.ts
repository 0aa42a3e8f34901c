/**
 * The count tensor: periods × regions × categories, row-major with period outermost
 * (index = (p * regions + r) * categories + c). Period-major makes "the history before a cut-off"
 * a prefix of the buffer, so a forecaster can be handed a zero-copy view that physically cannot see the future.
 */
export type PeriodUnit = 'hour' | 'day' | 'week' | 'month';

export interface CountTensor {
  readonly periods: number;
  readonly regions: number;
  readonly categories: number;
  readonly data: Float32Array;
  /** Category names (length = categories). */
  readonly categoryNames: string[];
  /** Region ids (length = regions), matching the spatial unit set. */
  readonly regionIds: string[];
  /** Start instant of each period, UTC epoch ms (length = periods). */
  readonly periodStart: Float64Array;
  readonly unit: PeriodUnit;
  /** IANA time zone in which periods were binned. */
  readonly tz: string;
}

export function tensorIndex(t: CountTensor, p: number, r: number, c: number): number {
  return (p * t.regions + r) * t.categories + c;
}

export function createTensor(meta: Omit<CountTensor, 'data'>, data?: Float32Array): CountTensor {
  const size = meta.periods * meta.regions * meta.categories;
  if (data && data.length !== size) throw new Error(`tensor data has ${data.length} values, expected ${size}`);
  if (meta.categoryNames.length !== meta.categories) throw new Error('categoryNames length differs from categories');
  if (meta.regionIds.length !== meta.regions) throw new Error('regionIds length differs from regions');
  if (meta.periodStart.length !== meta.periods) throw new Error('periodStart length differs from periods');
  return { ...meta, data: data ?? new Float32Array(size) };
}

/** Zero-copy view of periods [from, to). */
export function slicePeriods(t: CountTensor, from: number, to: number): CountTensor {
  if (from < 0 || to > t.periods || from > to) throw new RangeError(`period slice [${from}, ${to}) outside [0, ${t.periods})`);
  const stride = t.regions * t.categories;
  return {
    ...t,
    periods: to - from,
    data: t.data.subarray(from * stride, to * stride),
    periodStart: t.periodStart.subarray(from, to),
  };
}

/** Keep only some categories (copy). */
export function selectCategories(t: CountTensor, cats: number[]): CountTensor {
  const C = cats.length;
  const out = new Float32Array(t.periods * t.regions * C);
  for (let pr = 0; pr < t.periods * t.regions; pr++) {
    for (let j = 0; j < C; j++) out[pr * C + j] = t.data[pr * t.categories + cats[j]];
  }
  return { ...t, categories: C, categoryNames: cats.map((c) => t.categoryNames[c]), data: out };
}

/** Concatenate tensors along the period axis (same regions and categories). */
export function concatPeriods(parts: CountTensor[]): CountTensor {
  const [first] = parts;
  for (const p of parts) {
    if (p.regions !== first.regions || p.categories !== first.categories) throw new Error('concatPeriods: shapes differ');
  }
  const periods = parts.reduce((s, p) => s + p.periods, 0);
  const data = new Float32Array(periods * first.regions * first.categories);
  const periodStart = new Float64Array(periods);
  let off = 0, poff = 0;
  for (const p of parts) {
    data.set(p.data, off); off += p.data.length;
    periodStart.set(p.periodStart, poff); poff += p.periods;
  }
  return { ...first, periods, data, periodStart };
}
