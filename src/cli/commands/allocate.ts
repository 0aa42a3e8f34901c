/**
 * `crimecast allocate`: turn a forecast into a patrol plan per shift — maximise expected crime covered under a
 * dosage budget, per-region minimum/maximum dosage, caps on any group's share and optional travel reach.
 */
import type { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { allocate } from '../../action/allocation/allocate.js';
import { parseCoverageModel } from '../../action/allocation/coverage-model.js';
import { readForecastCsv, readForecastGeoJSON, reachWithin, type ShiftForecast } from '../../action/allocation/forecast-input.js';
import { planCsv, planGeoJSON, type PlanShift } from '../../action/allocation/plan-output.js';
import type { GroupCap } from '../../action/allocation/problem.js';
import { UserError } from '../../util/errors.js';
import { emit } from '../output.js';

interface AllocateOptions {
  forecast: string;
  field: string;
  units: string;
  min?: string;
  max?: string;
  groupCap: string[];
  groupsFile?: string;
  coverage: string;
  bases?: string;
  travelKm?: string;
  out?: string;
  csv?: string;
  json?: boolean;
}

function groupWeights(f: ShiftForecast, name: string, groupsFile: string | undefined): Float64Array {
  if (groupsFile) {
    const rows = parse(readFileSync(groupsFile, 'utf8'), { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
    if (rows.length && name in rows[0]) {
      const byId = new Map(rows.map((r) => [r.region ?? r.id, Number(r[name])]));
      return Float64Array.from(f.ids, (id) => byId.get(id) ?? 0);
    }
  }
  if (f.features && f.features.some((ft) => ft.properties && name in ft.properties)) {
    return Float64Array.from(f.features, (ft) => Number(ft.properties?.[name] ?? 0) || 0);
  }
  throw new UserError(`group "${name}" is neither a column of --groups-file nor a feature property`);
}

export function register(program: Command): void {
  program
    .command('allocate')
    .description('allocate patrol units to regions per shift to maximise expected crime covered (greedy or MIP)')
    .requiredOption('--forecast <path>', 'forecast GeoJSON (from `crimecast forecast`) or forecast CSV (each period_start = one shift)')
    .option('--field <names>', 'GeoJSON: comma-separated numeric properties, one per shift', 'expected')
    .requiredOption('--units <n>', 'dosage budget (patrol units × hours) per shift; comma-separated for one per shift')
    .option('--min <d>', 'minimum dosage in every region')
    .option('--max <d>', 'maximum dosage in any region')
    .option('--group-cap <group=share>', 'cap a group\'s share of the budget (group = property or --groups-file column of per-region weights in [0,1]); repeatable', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--groups-file <csv>', 'CSV with a region column and one weight column per group')
    .option('--coverage <model>', 'coverage model: exp:<beta> (1 − e^{−β·dosage}) or linear:<saturation>', 'exp:0.5')
    .option('--bases <lat,lon;…>', 'patrol bases (one patrol each); with --travel-km, a patrol can only cover regions within reach')
    .option('--travel-km <km>', 'travel radius from each base')
    .option('--out <path>', 'plan GeoJSON')
    .option('--csv <path>', 'plan CSV (shift, region, expected, dosage, covered)')
    .option('--json', 'print one JSON object')
    .action(async (o: AllocateOptions) => {
      const isCsv = o.forecast.toLowerCase().endsWith('.csv');
      const f = isCsv ? readForecastCsv(o.forecast) : readForecastGeoJSON(o.forecast, o.field.split(',').map((s) => s.trim()));
      const model = parseCoverageModel(o.coverage);
      const budgets = o.units.split(',').map(Number);
      if (budgets.some((u) => !Number.isInteger(u) || u < 0)) throw new UserError(`--units must be non-negative integers, got "${o.units}"`);
      const unitsFor = (s: number) => budgets[Math.min(s, budgets.length - 1)];
      const groups: GroupCap[] = o.groupCap.map((spec) => {
        const [name, share] = spec.split('=');
        const maxShare = Number(share);
        if (!name || !(maxShare >= 0 && maxShare <= 1)) throw new UserError(`--group-cap "${spec}": expected group=share with share in [0, 1]`);
        return { name, weights: groupWeights(f, name, o.groupsFile), maxShare };
      });
      let patrols: { reach: Int32Array[] } | undefined;
      if (o.bases || o.travelKm) {
        if (!o.bases || !o.travelKm || !f.features) throw new UserError('--bases and --travel-km go together and need a GeoJSON forecast (for region locations)');
        const bases = o.bases.split(';').map((b) => b.split(',').map(Number) as [number, number]);
        if (bases.some((b) => b.length !== 2 || b.some((v) => !Number.isFinite(v)))) throw new UserError(`--bases "${o.bases}": expected lat,lon;lat,lon`);
        patrols = { reach: reachWithin(f.features, bases, Number(o.travelKm)) };
        // with bases the budget is one unit of dosage per base: refuse a --units that says otherwise instead of ignoring it
        if (budgets.some((u) => u !== bases.length)) {
          throw new UserError(`--units ${o.units} disagrees with --bases: each of the ${bases.length} bases is one patrol, so the budget per shift is ${bases.length}`,
            `pass --units ${bases.length}, or list one base per patrol unit`);
        }
      }
      const shifts: PlanShift[] = [];
      for (let s = 0; s < f.shifts.length; s++) {
        const { name, expected } = f.shifts[s];
        const result = await allocate({
          expected, units: unitsFor(s), model, groups, patrols,
          minDosage: o.min === undefined ? undefined : Number(o.min), maxDosage: o.max === undefined ? undefined : Number(o.max),
        });
        shifts.push({ name, expected, result });
      }
      const meta = { coverage: model, units: f.shifts.map((_, s) => unitsFor(s)), groupCaps: o.groupCap, travelKm: o.travelKm ? Number(o.travelKm) : undefined };
      if (o.out) writeFileSync(o.out, JSON.stringify(planGeoJSON(f.features ? { features: f.features } : { ids: f.ids }, shifts, model, meta)) + '\n');
      if (o.csv) writeFileSync(o.csv, planCsv(f.ids, shifts, model));
      const summary = shifts.map((s) => {
        const total = Array.from(s.expected).reduce((a, b) => a + b, 0);
        const used = s.result.dosage.reduce((a, b) => a + b, 0);
        const top = Array.from(s.result.dosage, (d, r) => ({ region: f.ids[r], dosage: d })).filter((x) => x.dosage > 0).sort((a, b) => b.dosage - a.dosage);
        return { shift: s.name, method: s.result.method, covered: s.result.covered, expectedTotal: total, coveredShare: total > 0 ? s.result.covered / total : 0, dosageUsed: used, regions: top };
      });
      emit(!!o.json, { shifts: summary, out: o.out, csv: o.csv }, () => summary.map((s) =>
        `shift ${s.shift}: ${s.dosageUsed} dosage units over ${s.regions.length} regions (${s.method}); expected crime covered ${s.covered.toFixed(2)} of ${s.expectedTotal.toFixed(2)} (${(100 * s.coveredShare).toFixed(1)}%)\n` +
        s.regions.slice(0, 10).map((x) => `  ${x.region}: ${x.dosage}`).join('\n')).join('\n') + (o.out ? `\nplan written to ${o.out}` : ''));
    });
}
