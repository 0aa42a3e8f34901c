/** Which feature families to build, with the defaults an analyst would start from. */
import { z } from 'zod';
import { flag } from '../util/params.js';

const intList = z.union([z.array(z.number().int().positive()), z.string().transform((s, ctx) => {
  const v = s.split(/[;|\s]+/).filter(Boolean).map(Number);
  if (v.some((x) => !Number.isInteger(x) || x <= 0)) ctx.addIssue({ code: 'custom', message: `expected positive integers separated by ';', got "${s}"` });
  return v;
})]);

export const featureSpecSchema = z.object({
  /** Lagged counts at these lags (periods). */
  lags: intList.default([1, 2, 3, 7]),
  /** Rolling mean and max windows (periods). */
  windows: intList.default([7, 30]),
  /** Rolling mean of the other categories' total. */
  otherCategories: flag(true),
  /** Mean of neighbours' rolling means (via the unit set's adjacency) at these windows. */
  spatialWindows: intList.default([7, 30]),
  /** Day of week, month, day of year and US federal holiday flag of the target period. */
  calendar: flag(true),
  /** One-hot day of week and month (for linear models) instead of integer codes. */
  calendarOneHot: flag(false),
  /** Near-repeat: same-category incidents within these distances (m) of the region centroid … */
  nearRepeatDistances: intList.default([]),
  /** … during these numbers of days before the target period. */
  nearRepeatDays: intList.default([7, 14]),
  /** Time-varying covariates (weather, monthly indicators) enter at this lag in periods (≥ 1: no look-ahead). */
  timeLag: z.coerce.number().int().positive().default(1),
  /** Category index as a feature (pooled models over categories). */
  categoryFeature: flag(true),
});

export type FeatureSpec = z.infer<typeof featureSpecSchema>;

export function defaultFeatureSpec(overrides: Partial<z.input<typeof featureSpecSchema>> = {}): FeatureSpec {
  return featureSpecSchema.parse(overrides);
}
