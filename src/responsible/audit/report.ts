/** The fairness audit as a report section (plugs into evaluate/report) and as plain text. */
import type { ConfidenceInterval } from '../../evaluate/uncertainty.js';
import type { ReportMap, ReportSection, ReportTable } from '../../evaluate/report/types.js';
import type { AreaGeometry } from '../../space/units.js';
import type { AuditResult, GroupAudit } from './audit.js';

const f = (v: number, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : '–');
export const fmtCI = (c: ConfidenceInterval, d = 3) => `${f(c.estimate, d)} [${f(c.lo, d)}, ${f(c.hi, d)}]`;

function table(metric: string, better: 'higher' | 'lower', description: string, a: AuditResult, pick: (g: GroupAudit) => ConfidenceInterval): ReportTable {
  return { metric, better, description, rows: a.groups.map((g) => { const c = pick(g); return { model: g.name, value: c.estimate, lo: c.lo, hi: c.hi }; }) };
}

/** Distance from parity |log₂ ratio| (0 = parity), with the CI mapped endpoint-wise (a CI straddling 1 starts at 0). */
function parityDistance(c: ConfidenceInterval): ConfidenceInterval {
  const d = (v: number) => Math.abs(Math.log2(v));
  const lo = c.lo <= 1 && c.hi >= 1 ? 0 : Math.min(d(c.lo), d(c.hi));
  return { estimate: d(c.estimate), lo, hi: Math.max(d(c.lo), d(c.hi)), B: c.B };
}

export interface AuditSectionOptions {
  title?: string;
  /** Region ids and geometries for a map of how often each region was flagged. */
  regionIds?: string[];
  geometry?: (i: number) => AreaGeometry;
}

export function auditSection(a: AuditResult, o: AuditSectionOptions = {}): ReportSection {
  const what = a.mode === 'flag' ? `flagged area (${f((a.coverage ?? 0) * 100, 1)}% coverage)` : 'patrol time';
  const tables: ReportTable[] = [
    table('distance from parity |log₂(share of ' + (a.mode === 'flag' ? 'flagged area' : 'patrol time') + ' / population share)|', 'lower',
      '0 = attention in proportion to population; 1 = twice or half', a, (g) => parityDistance(g.representationRatio)),
    table('exposure distance from parity |log₂(share of the group living in flagged regions / same for everyone)|', 'lower',
      '0 = parity; the direction is in the facts above (ratio > 1 = more exposed than the population as a whole)', a, (g) => parityDistance(g.exposureRatio)),
    table('hit rate (population-weighted)', 'higher', 'share of the crime attributed to the group that the allocation covers', a, (g) => g.hitRate),
  ];
  if (a.mode === 'flag') tables.push(table('PAI (population-weighted)', 'higher', 'hit rate / flagged area share', a, (g) => g.pai));
  tables.push(table('calibration distance |log₂(predicted / observed)|', 'lower', '0 = calibrated for the group', a,
    (g) => parityDistance(g.calibration)));
  const facts: [string, string][] = a.groups.map((g) => [g.name,
    `population share ${f(g.populationShare)}; ${what} share ${fmtCI(g.flagShare)}; recorded-crime share ${fmtCI(g.crimeShare)}; ` +
    `flag/population ${fmtCI(g.representationRatio)}; flag/crime ${fmtCI(g.crimeRatio)}; exposure ${fmtCI(g.exposure)}, ratio to everyone ${fmtCI(g.exposureRatio)} ` +
    `(vs ${g.reference}: ${fmtCI(g.exposureVsReference)}); calibration predicted/observed ${fmtCI(g.calibration)}; ` +
    `majority in ${g.majorityRegions} regions (hit rate there ${fmtCI(g.hitRateMajority)})`]);
  const maps: ReportMap[] = [];
  if (o.regionIds && o.geometry) {
    maps.push({
      title: a.mode === 'flag' ? 'Share of test periods each region was flagged' : 'Mean patrol share',
      valueLabel: a.mode === 'flag' ? 'flagged share of periods' : 'patrol share',
      features: o.regionIds.map((id, i) => ({ id, geometry: o.geometry!(i), value: a.regionExposure[i], flagged: a.regionExposure[i] >= 0.5 })),
    });
  }
  return {
    heading: o.title ?? 'Fairness audit',
    paragraphs: [
      `Audit of the ${what} over ${a.periods} test periods and ${a.regions} regions. Overall hit rate ${fmtCI(a.overall.hitRate)}, ` +
      `PAI ${fmtCI(a.overall.pai)}, share of residents in flagged regions ${fmtCI(a.overall.exposure)}, calibration ${fmtCI(a.overall.calibration)} ` +
      '(95% percentile-bootstrap CIs over test periods).',
      'Groups are attributed crime and attention by the composition of each region\'s residents (see the definitions in the JSON output). ' +
      '★ in a table marks the group closest to parity (or with the highest hit rate), not a verdict.',
      ...a.caveats,
    ],
    facts,
    tables,
    maps,
  };
}

/** Plain-text summary for the terminal. */
export function auditText(a: AuditResult): string {
  const lines = [`fairness audit: ${a.mode === 'flag' ? `top ${f((a.coverage ?? 0) * 100, 1)}% of area` : 'patrol shares'}, ${a.periods} periods, ${a.regions} regions`,
    `  overall hit rate ${fmtCI(a.overall.hitRate)}  PAI ${fmtCI(a.overall.pai)}  exposure ${fmtCI(a.overall.exposure)}`];
  for (const g of a.groups) {
    lines.push(`  ${g.name.padEnd(18)} pop ${f(g.populationShare)}  flag ${fmtCI(g.flagShare)}  crime ${fmtCI(g.crimeShare)}  ` +
      `flag/pop ${fmtCI(g.representationRatio)}  exposure ratio ${fmtCI(g.exposureRatio)}  hit ${fmtCI(g.hitRate)}  calib ${fmtCI(g.calibration)}`);
  }
  return lines.join('\n');
}
