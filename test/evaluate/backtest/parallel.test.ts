import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../../src/models/baselines/index.js';
import { runBacktest } from '../../../src/evaluate/backtest/engine.js';
import { PACKAGE_ROOT, WORKER_PATH, canUseWorkers, runBacktests } from '../../../src/evaluate/backtest/parallel.js';
import { createForecaster } from '../../../src/models/registry.js';
import { tinyTensor } from '../../models/baselines/tiny-tensor.js';
import { buildStshnGrid } from '../../../src/space/stshn-grid.js';
import { requirePrerequisite } from '../../helpers.js';

const tensor = tinyTensor(Array.from({ length: 20 }, (_, p) => [[p % 3, (p * 7) % 5], [(p * 5) % 4, 1]]));

describe('parallel backtests', () => {
  it('resolves the compiled worker from the package root', () => {
    expect(WORKER_PATH).toBe(join(PACKAGE_ROOT, 'dist', 'evaluate', 'backtest', 'worker.js'));
    expect(existsSync(join(PACKAGE_ROOT, 'package.json'))).toBe(true);
  });

  it('stays in-process for one model, model instances, or units that cannot be rebuilt from their spec', () => {
    const yes = existsSync(WORKER_PATH);
    expect(canUseWorkers({ tensor }, ['persistence', 'constant'], 2)).toBe(yes);
    expect(canUseWorkers({ tensor }, ['persistence'], 2)).toBe(false);
    expect(canUseWorkers({ tensor }, ['persistence', 'constant'], 1)).toBe(false);
    expect(canUseWorkers({ tensor }, ['persistence', createForecaster('constant')], 2)).toBe(false);
    expect(canUseWorkers({ tensor, units: {} as never }, ['persistence', 'constant'], 2)).toBe(false);
    expect(canUseWorkers({ tensor, units: { spec: { kind: 'polygons' } } as never }, ['persistence', 'constant'], 2)).toBe(false);
    expect(canUseWorkers({ tensor, units: buildStshnGrid({ rows: 1, cols: 2 }) }, ['persistence', 'constant'], 2)).toBe(yes);
  });

  // needs `npm run build` with the baselines imported from src/models/all.ts
  const built = requirePrerequisite('the compiled build with the baselines (dist/evaluate/backtest/worker.js, dist/models/all.js)',
    existsSync(WORKER_PATH) && /baselines/.test(readFileSync(join(PACKAGE_ROOT, 'dist', 'models', 'all.js'), 'utf8')),
    'run `npm run build` (`npm test` builds first)');
  it.runIf(built)('workers give the same results as in-process runs', async () => {
    const specs = ['persistence:dist=negbin,dispersionPeriods=5', 'moving-average:window=4', 'seasonal-naive:season=3'];
    const par = await runBacktests({ tensor }, specs, { testStart: 10, workers: 2 });
    for (let i = 0; i < specs.length; i++) {
      const solo = await runBacktest({ tensor }, specs[i], { testStart: 10 });
      expect(Array.from(par[i].mean)).toEqual(Array.from(solo.mean));
      expect(Array.from(par[i].logScore)).toEqual(Array.from(solo.logScore));
    }
  }, 30_000);

  it.runIf(built)('workers rebuild spatial units from their spec (deep and graph models train on both cores)', async () => {
    const units = buildStshnGrid({ rows: 1, cols: 2 });
    const specs = ['moving-average:window=4', 'seasonal-naive:season=3'];
    const par = await runBacktests({ tensor, units }, specs, { testStart: 10, workers: 2 });
    for (let i = 0; i < specs.length; i++) {
      const solo = await runBacktest({ tensor, units }, specs[i], { testStart: 10 });
      expect(Array.from(par[i].mean)).toEqual(Array.from(solo.mean));
    }
  }, 30_000);
});
