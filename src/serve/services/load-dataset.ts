/** A dataset from the store discretised for analysis (count tensor + units), with 400s instead of library errors. */
import type { Dataset } from '../../tensor/dataset.js';
import { buildDataset } from '../../tensor/dataset.js';
import { UserError } from '../../util/errors.js';
import { HttpError } from '../http-error.js';
import type { Datasets } from './datasets.js';
import { checkUnits, type AnalysisSpec } from './spec.js';

export async function loadAnalysisData(datasets: Datasets, s: AnalysisSpec, end?: number): Promise<Dataset> {
  checkUnits(s.units);
  const table = await datasets.incidents(s.dataset, { categories: s.categories });
  if (table.n === 0) throw new HttpError(422, `dataset "${s.dataset}" has no incidents${s.categories ? ' in those categories' : ''}`);
  try {
    return buildDataset(table, { units: s.units, period: s.period, categories: s.categories, end });
  } catch (e) {
    if (e instanceof UserError) throw new HttpError(400, e.message, e.hint);
    throw e;
  }
}
