/**
 * `--risk-layers` for the commands that fit models on one's own data (backtest, forecast, explain): point layers
 * become per-region risk-terrain features (distance from the centroid to the nearest point, points within a radius;
 * src/features/risk-terrain.ts), added to the static covariates the feature learners (gbm, random-forest, glm…)
 * read as `cov_dist_NAME` and `cov_nRm_NAME`. What each layer held and which models use the features is said.
 */
import type { Command } from 'commander';
import type { SpatialUnits } from '../space/units.js';
import type { Covariates } from '../models/forecaster.js';
import { mergeCovariates } from '../features/covariates.js';
import { riskTerrain } from '../features/risk-terrain.js';
import { describeLayer, parseRiskLayerSpec, readPointLayer, type PointLayerReport } from '../features/point-layers.js';
import { bboxOfPoints } from '../space/bbox.js';
import { createForecaster } from '../models/registry.js';
import { FeatureForecaster } from '../models/learned/feature-forecaster.js';

export interface RiskLayerOptions { riskLayers?: string[] }

export const RISK_LAYERS_HELP = 'point layers as per-region features: FILE.csv|FILE.geojson|NAME=FILE|FOLDER, comma-separated, repeatable, '
  + 'plus radius=M (default 400): distance to the nearest point and points within M metres of each region\'s centroid';

export function addRiskLayerOptions(cmd: Command): Command {
  return cmd.option('--risk-layers <spec>', RISK_LAYERS_HELP, (v: string, acc: string[] = []) => [...acc, v]);
}

export interface RiskLayerSummary {
  radius: number;
  layers: (PointLayerReport & { insideExtent: number })[];
  features: string[];
  usedBy: string[];
  ignoredBy: string[];
}

/** The layers' feature block for these units, with a report per layer (reads the files; fails on a bad one). */
export function riskLayerCovariates(units: SpatialUnits, texts: string[]): { covariates: Covariates; summary: Omit<RiskLayerSummary, 'usedBy' | 'ignoredBy'> } {
  const spec = parseRiskLayerSpec(texts);
  const loaded = spec.layers.map((l) => readPointLayer(l.file, l.name));
  // a layer from another city lies outside the units: count points within the units' extent (+ the radius)
  const b = bboxOfPoints(units.centroidLat, units.centroidLon);
  const padLat = spec.radius / 111_320 + 0.01, padLon = padLat / Math.cos(((b.minLat + b.maxLat) / 2) * Math.PI / 180);
  const layers = loaded.map(({ layer, report }) => {
    let inside = 0;
    for (let i = 0; i < layer.lat.length; i++) {
      if (layer.lat[i] >= b.minLat - padLat && layer.lat[i] <= b.maxLat + padLat && layer.lon[i] >= b.minLon - padLon && layer.lon[i] <= b.maxLon + padLon) inside++;
    }
    return { ...report, insideExtent: inside };
  });
  const covariates = riskTerrain(units, loaded.map((l) => l.layer), spec.radius);
  return { covariates, summary: { radius: spec.radius, layers, features: covariates.names } };
}

/** Adds the layers to `data.covariates` (after any --covariates) and says what was read and which models use it. */
export function attachRiskLayers(
  data: { units: SpatialUnits; covariates?: Covariates },
  o: RiskLayerOptions, models: string[], log: (line: string) => void = (l) => process.stderr.write(l + '\n'),
): RiskLayerSummary | undefined {
  if (!o.riskLayers?.length) return undefined;
  const { covariates, summary } = riskLayerCovariates(data.units, o.riskLayers);
  data.covariates = data.covariates ? mergeCovariates([data.covariates, covariates], data.units.n) : covariates;
  const usedBy = models.filter((m) => createForecaster(m) instanceof FeatureForecaster);
  const ignoredBy = models.filter((m) => !usedBy.includes(m));
  for (const l of summary.layers) {
    log(describeLayer(l));
    if (l.insideExtent === 0) log(`⚠ risk layer ${l.name}: none of its ${l.points} points lies within the regions' extent — is it another city's file?`);
  }
  log(`risk terrain: ${summary.features.length} features per region (${summary.features.map((n) => `cov_${n}`).join(', ')}), radius ${summary.radius} m; ` +
    `used by ${usedBy.length ? usedBy.join(', ') : 'no model given'}` + (ignoredBy.length ? `; ignored by ${ignoredBy.join(', ')} (not a feature learner)` : ''));
  return { ...summary, usedBy, ignoredBy };
}
