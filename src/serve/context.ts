/** Everything the routes share: stores, sessions, jobs, the forecast board and the retraining schedule. */
import type { AccessLog } from './access-log.js';
import type { Sessions } from './auth/sessions.js';
import type { UserStore } from './auth/users.js';
import type { Datasets } from './services/datasets.js';
import type { ForecastBoard } from './services/forecasts.js';
import type { JobQueue } from './services/jobs.js';
import type { Retrainer } from './services/retrainer.js';

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
  /** Largest upload accepted, bytes. */
  maxUploadBytes: number;
  /** Cookies only over HTTPS when the server is behind TLS. */
  secureCookies: boolean;
  /** Optional base-map tile URL template for the dashboard (e.g. a local tile server); null draws units only. */
  tiles: string | null;
  log: (line: string) => void;
}
