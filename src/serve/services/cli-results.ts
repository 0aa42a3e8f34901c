/**
 * Results of a CLI run (`crimecast demo`) saved where `crimecast serve --store STORE` restores them from, in the
 * server's own saved-results format (saved-results.ts), so the dashboard lists them beside its own. Each is tagged
 * as coming from the CLI: the backtest's owner and request name the command, the forecast's source is "cli".
 */
import type { ProtocolResult } from '../../evaluate/protocols/types.js';
import type { ForecastProduct } from '../../forecast/produce.js';
import type { Dataset } from '../../tensor/dataset.js';
import { backtestOutcome } from './backtest-run.js';
import { publishedForm } from './forecast-run.js';
import type { ForecastRequest, Publication } from './forecasts.js';
import type { Job } from './jobs.js';
import { SavedResults, stateDirFor } from './saved-results.js';

export interface CliBacktest {
  /** What was run, as a backtest request (dataset, units, period, models, testFrom, …) plus CLI-only settings. */
  request: Record<string, unknown> & { dataset: string; units: string; period: string; models: string[] };
  data: Dataset;
  result: ProtocolResult;
  testStart: number;
  started: Date;
  seconds: number;
}

export interface CliForecast {
  request: ForecastRequest;
  product: ForecastProduct;
  data: Dataset;
  trainedOnIncidents: number;
}

export interface CliSaved { dir: string; backtest?: string; forecast?: number }

/**
 * Saves a CLI run's backtest and forecast for the server of `storePath` (state folder as `serve` picks it unless
 * given). New ids follow the ones already saved there, so nothing the server saved is replaced; a forecast replaces
 * the saved one of the same model and dataset, as a new publication on the server would.
 */
export function saveCliResults(storePath: string, command: string, run: { backtest?: CliBacktest; forecast?: CliForecast }, log: (line: string) => void, stateDir = stateDirFor(storePath)): CliSaved {
  const saved = new SavedResults(stateDir, storePath, log);
  const out: CliSaved = { dir: saved.dir };
  const now = new Date().toISOString();
  if (run.backtest) {
    const b = run.backtest;
    const job: Job = {
      id: `backtest-${saved.lastBacktestSeq() + 1}`, kind: 'backtest', owner: command, status: 'done', progress: 1, message: `done (${command})`,
      created: b.started.toISOString(), started: b.started.toISOString(), finished: now,
      request: { ...b.request, source: 'cli', command },
      result: backtestOutcome(b.data, b.result, b.testStart, b.seconds),
    };
    saved.saveBacktest(job);
    out.backtest = job.id;
  }
  if (run.forecast) {
    const f = run.forecast;
    const { unitsSpec: _s, ...computed } = publishedForm(f.product, f.data, f.request, f.trainedOnIncidents);
    const pub: Publication = { ...computed, id: saved.lastPublicationId() + 1, request: f.request, source: 'cli', publishedAt: now, dataVersion: 0, units: f.data.units };
    saved.savePublication(pub);
    out.forecast = pub.id;
  }
  return out;
}
