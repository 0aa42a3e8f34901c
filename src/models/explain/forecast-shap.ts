/**
 * "Why is this cell high?": exact TreeSHAP contributions of each feature to a tree model's forecast for
 * chosen (region, category) cells of the first forecast period. Contributions are on the model's margin
 * (log-rate for Poisson boosting, log-odds for occurrence boosting, the predicted value for CART / forests)
 * and sum, with the base value, to the margin of that row.
 */
import type { Forecaster, History } from '../forecaster.js';
import { FeatureForecaster } from '../learned/feature-forecaster.js';
import type { TreeLearner } from '../trees/forecasters.js';
import { UserError } from '../../util/errors.js';

export interface FeatureContribution {
  feature: string;
  /** The feature's value in this row (null when missing). */
  value: number | null;
  shap: number;
}

export interface CellExplanation {
  region: string;
  category: string;
  /** The model's margin for the row: base + Σ shap. */
  margin: number;
  base: number;
  scale: 'log-rate' | 'log-odds' | 'value';
  /** Largest |shap| first. */
  contributions: FeatureContribution[];
}

function isTreeLearner(l: unknown): l is TreeLearner {
  return !!l && typeof (l as TreeLearner).shap === 'function';
}

/** Explain fitted `model`'s forecast for the next period in the given cells; `top` contributions per cell. */
export function explainForecastCells(model: Forecaster, history: History, cells: { region: number; category: number }[], top = 8): CellExplanation[] {
  const learner = model instanceof FeatureForecaster ? model.fittedLearner : null;
  if (!isTreeLearner(learner)) {
    throw new UserError(`explanations by TreeSHAP need a fitted tree model (decision-tree, random-forest, gbm); "${model.name}" is not one`);
  }
  const T = history.tensor.periods, C = history.tensor.categories;
  const m = (model as FeatureForecaster).features(history, T, T + 1);
  // rows are region-major then category within the one target period
  const rows = cells.map(({ region, category }) => region * C + category);
  const X = new Float32Array(rows.length * m.nCols);
  rows.forEach((row, i) => X.set(m.X.subarray(row * m.nCols, (row + 1) * m.nCols), i * m.nCols));
  const { values, expectedValue, scale } = learner.shap(X, rows.length);
  return cells.map(({ region, category }, i) => {
    const contrib: FeatureContribution[] = [];
    let margin = expectedValue;
    for (let j = 0; j < m.nCols; j++) {
      const s = values[i * m.nCols + j];
      margin += s;
      const v = X[i * m.nCols + j];
      contrib.push({ feature: m.names[j], value: Number.isNaN(v) ? null : v, shap: s });
    }
    contrib.sort((a, b) => Math.abs(b.shap) - Math.abs(a.shap));
    return {
      region: history.tensor.regionIds[region],
      category: history.tensor.categoryNames[category],
      margin, base: expectedValue, scale,
      contributions: contrib.slice(0, top),
    };
  });
}
