/** Everything the routes share: stores, sessions, jobs, the forecast board and the retraining schedule. */
import type { AccessLog } from './access-log.js';
import type { Sessions } from './auth/sessions.js';
import type { UserStore } from './auth/users.js';
import type { Datasets } from './services/datasets.js';
import type { ForecastBoard } from './services/forecasts.js';
import type { JobQueue } from './services/jobs.js';
import type { MapLimits } from './services/map-limits.js';
import type { MapRunner } from './services/map-run.js';
import type { Retrainer } from './services/retrainer.js';
import type { SavedResults } from './services/saved-results.js';
import type { ViewerPolicy } from './services/viewer-policy.js';

export interface ServeContext {
  users: UserStore;
  sessions: Sessions;
  access: AccessLog;
  datasets: Datasets;
  board: ForecastBoard;
  jobs: JobQueue;
  retrainer: Retrainer;
  /** Run backtests in a worker thread (when the compiled worker exists). */
  threads: boolean;
  /** Latest results that the dashboard shows to every role (aggregated, no incident data). */
  latest: { audit?: unknown; allocation?: unknown };
  /** Where finished results are kept across restarts (null for an in-memory store). */
  saved: SavedResults | null;
  /** Hot-spot and unit-map work: bounds per request, and the runner that keeps it off the event loop. */
  mapLimits: MapLimits;
  maps: MapRunner;
  /** The coarsest detail viewers get of incident aggregates. */
  viewerPolicy: ViewerPolicy;
  /** Largest upload accepted, bytes. */
  maxUploadBytes: number;
  /** Cookies only over HTTPS when the server is behind TLS. */
  secureCookies: boolean;
  /** Optional base-map tile URL template for the dashboard (e.g. a local tile server); null draws units only. */
  tiles: string | null;
  log: (line: string) => void;
}
