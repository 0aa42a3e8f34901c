/**
 * Backtest data for the ST-HSL / ST-SHN protocols: the benchmark tensors, plus — only when a model needs them —
 * the benchmark's grid as spatial units and the raw incidents of CHI_Crime.csv (first row dropped, as the
 * original processing script does), so point-based models (KDE, self-exciting processes) can run on the same cells.
 */
import { join } from 'node:path';
import { readIncidentFile } from '../../data/ingest/read.js';
import { buildStshnGrid } from '../../space/stshn-grid.js';
import { loadStshnBenchmark, type StshnBenchmark } from '../../tensor/stshn.js';
import { categoryMap } from '../../tensor/build.js';
import type { BacktestData } from '../backtest/engine.js';
import { sharedDataPath } from './data-dir.js';
import { modelsNeed } from './needs.js';

export const STSHN_DIR = 'stshn-chicago-2016-2017';
export const STSHN_TENSORS = `${STSHN_DIR}/tensors_npy`;

export async function loadStshnData(models: string[], dataDir?: string): Promise<{ data: BacktestData; splits: StshnBenchmark['splits'] }> {
  const { tensor, splits } = loadStshnBenchmark(sharedDataPath(STSHN_TENSORS, dataDir));
  const data: BacktestData = { tensor };
  const need = modelsNeed(models);
  if (need.units || need.incidents) data.units = buildStshnGrid();
  if (need.incidents) {
    const csv = join(sharedDataPath(STSHN_DIR, dataDir), 'raw', 'CHI_Crime.csv');
    const { table } = await readIncidentFile(csv, { preset: 'stshn-chicago', dropFirstRow: true });
    const { map } = categoryMap(table.categories, tensor.categoryNames);
    data.incidents = table;
    data.incidentRegion = data.units!.assign(table.lat, table.lon);
    data.incidentCategory = Int32Array.from(table.cat, (c) => map[c]);
  }
  return { data, splits };
}
