/**
 * Synthetic incidents for the serve tests: points scattered over a ~6 km box around made-up hot-spot centres (no real
 * addresses), with a weekly cycle, over `days` days in America/Chicago local time. Seeded, so every run sees the same data.
 */
import { Rng } from '../../src/util/rng.js';

export interface SyntheticOptions { days?: number; perDay?: number; seed?: number; start?: string; withIds?: boolean }

export const CENTRES = [[41.80, -87.70], [41.83, -87.66], [41.78, -87.64]] as const;

export function syntheticCsv(o: SyntheticOptions = {}): string {
  const days = o.days ?? 90, perDay = o.perDay ?? 12, rng = new Rng(o.seed ?? 7);
  const [y, m, d] = (o.start ?? '2024-01-01').split('-').map(Number);
  const lines = [o.withIds === false ? 'time,lat,lon,category' : 'id,time,lat,lon,category'];
  let n = 0;
  for (let day = 0; day < days; day++) {
    const date = new Date(Date.UTC(y, m - 1, d + day));
    const weekend = date.getUTCDay() === 0 || date.getUTCDay() === 6;
    const k = rng.poisson(perDay * (weekend ? 1.4 : 1));
    for (let i = 0; i < k; i++) {
      // 70% around a hot spot, the rest uniform over the box
      let lat: number, lon: number;
      if (rng.random() < 0.7) {
        const c = CENTRES[rng.int(CENTRES.length)];
        lat = c[0] + rng.normal(0, 0.004); lon = c[1] + rng.normal(0, 0.005);
      } else {
        lat = 41.76 + rng.random() * 0.09; lon = -87.73 + rng.random() * 0.11;
      }
      const hh = String(rng.int(24)).padStart(2, '0'), mm = String(rng.int(60)).padStart(2, '0');
      const time = `${date.toISOString().slice(0, 10)} ${hh}:${mm}:00`;
      const cat = rng.random() < 0.6 ? 'THEFT' : 'BURGLARY';
      const row = [time, lat.toFixed(6), lon.toFixed(6), cat];
      lines.push((o.withIds === false ? row : [`S${++n}`, ...row]).join(','));
    }
  }
  return lines.join('\n') + '\n';
}
