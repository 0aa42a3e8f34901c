/** Colour classes and their legend rows, without Leaflet (so tests can import them). */
export const RAMP = ['#ffffcc', '#ffeda0', '#fed976', '#feb24c', '#fd8d3c', '#fc4e2a', '#e31a1c', '#b10026'];

/** Colour of v in [0, max] on a yellow–red ramp (square-root scale: counts are skewed). */
export function ramp(v: number, max: number): string {
  if (!(max > 0) || !(v > 0)) return RAMP[0];
  const k = Math.min(RAMP.length - 1, Math.floor(Math.sqrt(v / max) * RAMP.length));
  return RAMP[k];
}

/** A number for a legend or tooltip: enough digits to tell neighbouring classes apart, never "-0". */
export function fmtValue(v: number): string {
  const a = Math.abs(v);
  if (a === 0) return '0';
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : a >= 0.01 ? v.toFixed(3) : v.toPrecision(2);
}

export interface LegendRow { color: string; label: string }

/** The ramp's classes as legend rows ("0.12 – 0.25"), classes that print the same merged (no repeated "≥ 0.0"). */
export function rampRows(max: number, fmtBound: (v: number) => string = fmtValue): LegendRow[] {
  if (!(max > 0)) return [{ color: RAMP[0], label: '0' }];
  const rows: LegendRow[] = [];
  const bound = (k: number) => max * (k / RAMP.length) ** 2;
  for (let k = 0; k < RAMP.length; k++) {
    const lo = fmtBound(bound(k)), hi = fmtBound(bound(k + 1));
    const label = k === 0 ? `under ${hi}` : `${lo} – ${hi}`;
    if (lo === hi || rows.at(-1)?.label === label) continue;
    rows.push({ color: RAMP[k], label });
  }
  return rows;
}

/** Whole-number classes (patrol dosage): one row per value when few, else merged ranges of whole numbers. */
export function integerRows(max: number): LegendRow[] {
  const rows: LegendRow[] = [{ color: RAMP[0], label: '0 (no patrol)' }];
  let k = 1;
  while (k <= max) {
    const color = ramp(k, max);
    let j = k;
    while (j + 1 <= max && ramp(j + 1, max) === color) j++;
    rows.push({ color, label: j === k ? String(k) : `${k} – ${j}` });
    k = j + 1;
  }
  return rows;
}
