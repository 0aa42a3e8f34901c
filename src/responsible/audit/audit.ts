/**
 * Fairness audit of a forecast-driven allocation over test periods.
 *
 * Each period the allocation is either a flagged set (regions taken in decreasing predicted risk until `coverage`
 * of the AREA is flagged, the rule of evaluate/metrics/hotspot.ts) or given patrol shares per region. Groups are
 * described by a weight per region (e.g. residents of a race/ethnicity, or households in poverty); a region's
 * composition share s_gr = w_gr / pop_r (pop_r = total population, default Σ_g w_gr) attributes everything that
 * happens in region r to groups in proportion to who lives there. Definitions (x_r = 1 if flagged else 0, or the
 * patrol share; a_r = area if flagged else 0, or the patrol share; y observed, p predicted counts):
 *
 * - flag share_g       = Σ a_r s_gr / Σ a_r           share of the flagged area (patrol time) attributed to g
 * - population share_g = Σ w_gr / Σ pop_r
 * - crime share_g      = Σ y_r s_gr / Σ y_r           share of recorded crime attributed to g
 * - representation     = flag share / population share (1 = the group gets attention in proportion to its size)
 * - crime ratio        = flag share / crime share      (1 = in proportion to the crime recorded where it lives)
 * - exposure_g         = Σ x_r w_gr / Σ w_gr           share of the group's members living in flagged regions
 * - exposure ratio     = exposure_g / exposure of the whole population; also vs the reference group
 * - hit rate_g         = Σ x_r y_r s_gr / Σ y_r s_gr   share of the group-attributed crime the allocation covers
 * - PAI_g              = hit rate_g / (Σ a_r s_gr / Σ area_r s_gr)  (flag mode only)
 * - calibration_g      = Σ p_r s_gr / Σ y_r s_gr       predicted / observed (1 = calibrated; > 1 over-predicts)
 * - majority versions  : hit rate and calibration restricted to regions where g is the largest group.
 * Every quantity is a ratio of sums over periods, so 95% CIs come from the percentile bootstrap over test periods
 * (evaluate/uncertainty.ts). Caveat printed with every audit: crime is attributed by RESIDENTS' composition,
 * but the people involved in an incident need not live where it happened.
 */
import { bootstrapCI, type ConfidenceInterval } from '../../evaluate/uncertainty.js';
import { flagOrder, flaggedCount } from '../../evaluate/metrics/hotspot.js';

export interface AuditGroup {
  name: string;
  /** Group weight per region (e.g. residents of the group), length R. */
  weight: ArrayLike<number>;
  /**
   * Groups of one family partition (part of) the population, e.g. race/ethnicity or hardship bands. Majority regions
   * and the reference group are determined within a family, so several families can be audited at once. Default "".
   */
  family?: string;
}

/** Per-period, per-region values: flat row-major T × R (with `regions`), or nested [t][r]. */
export type PeriodRegionValues = ArrayLike<number> | ArrayLike<number>[];

export interface AuditInput {
  /** Predicted risk / expected counts per period and region, [t][r]. */
  predictions: PeriodRegionValues;
  /** Observed counts, same layout. */
  observed: PeriodRegionValues;
  /** Number of regions (required for flat arrays; taken from the rows of nested ones). */
  regions?: number;
  area: ArrayLike<number>;
  groups: AuditGroup[];
  /** Total population per region (default: Σ of the weights of the first family's groups). */
  population?: ArrayLike<number>;
  /** Share of the area flagged each period (default 0.1). Ignored when `patrolShares` is given. */
  coverage?: number;
  /** Patrol shares per region instead of a flagged set: length R (every period) or T × R. */
  patrolShares?: ArrayLike<number>;
  /** Group that ratios between groups are taken against (default: the largest group of each family). */
  reference?: string;
  bootstrap?: { B?: number; seed?: number; level?: number };
}

export interface GroupAudit {
  name: string;
  family: string;
  /** Group of the same family that `exposureVsReference` compares against. */
  reference: string;
  population: number;
  populationShare: number;
  /** Regions where this group is the largest of its family. */
  majorityRegions: number;
  flagShare: ConfidenceInterval;
  crimeShare: ConfidenceInterval;
  representationRatio: ConfidenceInterval;
  crimeRatio: ConfidenceInterval;
  exposure: ConfidenceInterval;
  exposureRatio: ConfidenceInterval;
  exposureVsReference: ConfidenceInterval;
  hitRate: ConfidenceInterval;
  pai: ConfidenceInterval;
  calibration: ConfidenceInterval;
  hitRateMajority: ConfidenceInterval;
  calibrationMajority: ConfidenceInterval;
}

export interface AuditResult {
  mode: 'flag' | 'patrol';
  coverage: number | null;
  periods: number;
  regions: number;
  overall: { hitRate: ConfidenceInterval; pai: ConfidenceInterval; exposure: ConfidenceInterval; calibration: ConfidenceInterval };
  groups: GroupAudit[];
  /** Share of test periods (flag mode) or mean patrol share (patrol mode) per region. */
  regionExposure: Float64Array;
  caveats: string[];
}

// per-group fields in the per-period contribution matrix
const F = { flagA: 0, cap: 1, crime: 2, pred: 3, popX: 4, capMaj: 5, crimeMaj: 6, predMaj: 7 } as const;
const NF = 8;
// global fields after the groups
const G_FLAGA = 0, G_POPX = 1, G_CRIME = 2, G_CAP = 3, G_PRED = 4, NG = 5;

function isNested(v: PeriodRegionValues): v is ArrayLike<number>[] {
  return v.length > 0 && typeof v[0] === 'object' && v[0] !== null;
}

/** Flat T × R copy of nested or flat values. */
function flatten(v: PeriodRegionValues, regions: number | undefined, name: string): { data: Float64Array; R: number } {
  if (isNested(v)) {
    const R = regions ?? v[0].length, out = new Float64Array(v.length * R);
    for (let t = 0; t < v.length; t++) {
      if (v[t].length !== R) throw new RangeError(`${name}[${t}] has ${v[t].length} values, expected ${R}`);
      for (let r = 0; r < R; r++) out[t * R + r] = v[t][r];
    }
    return { data: out, R };
  }
  if (regions === undefined) throw new RangeError(`${name} is a flat array: give \`regions\``);
  return { data: Float64Array.from(v as ArrayLike<number>), R: regions };
}

export function auditForecasts(input: AuditInput): AuditResult {
  const { data: predictions, R } = flatten(input.predictions, input.regions, 'predictions');
  const observed = flatten(input.observed, R, 'observed').data;
  const T = predictions.length / R;
  if (!Number.isInteger(T) || T < 1) throw new RangeError(`predictions hold ${predictions.length} values, not T × ${R}`);
  if (observed.length !== T * R) throw new RangeError('observed and predictions differ in shape');
  if (input.area.length !== R) throw new RangeError('area must have one value per region');
  const groups = input.groups, G = groups.length;
  if (G === 0) throw new RangeError('give at least one group');
  for (const g of groups) if (g.weight.length !== R) throw new RangeError(`group ${g.name}: weight must have one value per region`);
  const patrol = input.patrolShares;
  if (patrol && patrol.length !== R && patrol.length !== T * R) throw new RangeError('patrolShares must have R or T × R values');
  const cov = input.coverage ?? 0.1;

  // composition shares and per-group constants; majority and reference within each family
  const familyOf = groups.map((g) => g.family ?? '');
  const families = [...new Set(familyOf)];
  const pop = new Float64Array(R);
  for (let r = 0; r < R; r++) {
    if (input.population) pop[r] = input.population[r];
    else for (let g = 0; g < G; g++) if (familyOf[g] === families[0]) pop[r] += groups[g].weight[r] > 0 ? groups[g].weight[r] : 0;
  }
  const share = new Float64Array(G * R), popG = new Float64Array(G), areaG = new Float64Array(G);
  // majority group of each region per family: major[f * R + r]
  const major = new Int32Array(families.length * R).fill(-1), best = new Float64Array(families.length);
  let popTotal = 0, areaTotal = 0;
  for (let r = 0; r < R; r++) {
    popTotal += pop[r]; areaTotal += input.area[r];
    best.fill(0);
    for (let g = 0; g < G; g++) {
      const w = groups[g].weight[r] > 0 ? groups[g].weight[r] : 0;
      const s = pop[r] > 0 ? w / pop[r] : 0;
      share[g * R + r] = s;
      popG[g] += w;
      areaG[g] += input.area[r] * s;
      const f = families.indexOf(familyOf[g]);
      if (w > best[f]) { best[f] = w; major[f * R + r] = g; }
    }
  }
  const isMajor = (g: number, r: number) => major[families.indexOf(familyOf[g]) * R + r] === g;
  const majorityCount = new Int32Array(G);
  for (let g = 0; g < G; g++) for (let r = 0; r < R; r++) if (isMajor(g, r)) majorityCount[g]++;

  // per-period contributions
  const K = G * NF + NG, base = G * NF;
  const contrib = new Float64Array(T * K);
  const x = new Float64Array(R), a = new Float64Array(R), regionExposure = new Float64Array(R);
  for (let t = 0; t < T; t++) {
    const off = t * R;
    const pred = predictions, obs = observed;
    if (patrol) {
      const poff = patrol.length === R ? 0 : off;
      let s = 0;
      for (let r = 0; r < R; r++) s += patrol[poff + r] > 0 ? patrol[poff + r] : 0;
      for (let r = 0; r < R; r++) { x[r] = s > 0 && patrol[poff + r] > 0 ? patrol[poff + r] / s : 0; a[r] = x[r]; }
    } else {
      x.fill(0); a.fill(0);
      const risk = Float64Array.from({ length: R }, (_, r) => pred[off + r]);
      const order = flagOrder(risk, input.area), k = flaggedCount(order, cov, input.area);
      for (let m = 0; m < k; m++) { const r = order[m]; x[r] = 1; a[r] = input.area[r]; }
    }
    const row = t * K;
    for (let r = 0; r < R; r++) {
      const y = obs[off + r], p = pred[off + r];
      regionExposure[r] += x[r] / T;
      contrib[row + base + G_FLAGA] += a[r];
      contrib[row + base + G_POPX] += x[r] * pop[r];
      contrib[row + base + G_CRIME] += y;
      contrib[row + base + G_CAP] += x[r] * y;
      contrib[row + base + G_PRED] += p;
      for (let g = 0; g < G; g++) {
        const s = share[g * R + r], o = row + g * NF;
        const maj = isMajor(g, r);
        if (s === 0 && !maj) continue;
        contrib[o + F.flagA] += a[r] * s;
        contrib[o + F.cap] += x[r] * y * s;
        contrib[o + F.crime] += y * s;
        contrib[o + F.pred] += p * s;
        contrib[o + F.popX] += x[r] * s * pop[r];
        if (maj) {
          contrib[o + F.capMaj] += x[r] * y;
          contrib[o + F.crimeMaj] += y;
          contrib[o + F.predMaj] += p;
        }
      }
    }
  }

  if (input.reference !== undefined && !groups.some((g) => g.name === input.reference)) {
    throw new RangeError(`reference group "${input.reference}" is not among the groups`);
  }
  // reference of each family: the requested group if it belongs to the family, else the family's largest group
  const refOf = groups.map((_, g) => {
    const members = groups.map((_, h) => h).filter((h) => familyOf[h] === familyOf[g]);
    const asked = members.find((h) => groups[h].name === input.reference);
    return asked ?? members.reduce((a, h) => (popG[h] > popG[a] ? h : a), members[0]);
  });
  const bs = { B: input.bootstrap?.B ?? 1000, seed: input.bootstrap?.seed ?? 1, level: input.bootstrap?.level ?? 0.95 };
  const ci = (stat: (tot: Float64Array) => number) => bootstrapCI(contrib, K, stat, bs);
  const flagMode = !patrol;
  const exposureOf = (tot: Float64Array, g: number) => tot[g * NF + F.popX] / (T * popG[g]);
  const exposureAll = (tot: Float64Array) => tot[base + G_POPX] / (T * popTotal);

  const result: AuditResult = {
    mode: flagMode ? 'flag' : 'patrol', coverage: flagMode ? cov : null, periods: T, regions: R,
    overall: {
      hitRate: ci((t) => t[base + G_CAP] / t[base + G_CRIME]),
      pai: flagMode ? ci((t) => (t[base + G_CAP] / t[base + G_CRIME]) / (t[base + G_FLAGA] / (T * areaTotal))) : nanCI(),
      exposure: ci(exposureAll),
      calibration: ci((t) => t[base + G_PRED] / t[base + G_CRIME]),
    },
    groups: groups.map((grp, g): GroupAudit => {
      const o = g * NF;
      const flagShare = (t: Float64Array) => t[o + F.flagA] / t[base + G_FLAGA];
      const crimeShare = (t: Float64Array) => t[o + F.crime] / t[base + G_CRIME];
      const popShare = popG[g] / popTotal;
      const hit = (t: Float64Array) => t[o + F.cap] / t[o + F.crime];
      const ref = refOf[g];
      return {
        name: grp.name, family: familyOf[g], reference: groups[ref].name, population: popG[g], populationShare: popShare, majorityRegions: majorityCount[g],
        flagShare: ci(flagShare),
        crimeShare: ci(crimeShare),
        representationRatio: ci((t) => flagShare(t) / popShare),
        crimeRatio: ci((t) => flagShare(t) / crimeShare(t)),
        exposure: ci((t) => exposureOf(t, g)),
        exposureRatio: ci((t) => exposureOf(t, g) / exposureAll(t)),
        exposureVsReference: ci((t) => exposureOf(t, g) / exposureOf(t, ref)),
        hitRate: ci(hit),
        pai: flagMode ? ci((t) => hit(t) / (t[o + F.flagA] / (T * areaG[g]))) : nanCI(),
        calibration: ci((t) => t[o + F.pred] / t[o + F.crime]),
        hitRateMajority: majorityCount[g] > 0 ? ci((t) => t[o + F.capMaj] / t[o + F.crimeMaj]) : nanCI(),
        calibrationMajority: majorityCount[g] > 0 ? ci((t) => t[o + F.predMaj] / t[o + F.crimeMaj]) : nanCI(),
      };
    }),
    regionExposure,
    caveats: [
      'Crime and attention are attributed to groups by the residential composition of each region; the people involved in an incident need not live where it happened.',
      'Recorded crime reflects reporting and policing as well as offending; a forecast that matches recorded crime can still reproduce enforcement bias.',
      'Confidence intervals resample test periods; they do not cover uncertainty in the population figures.',
    ],
  };
  return result;
}

function nanCI(): ConfidenceInterval {
  return { estimate: NaN, lo: NaN, hi: NaN, B: 0 };
}
