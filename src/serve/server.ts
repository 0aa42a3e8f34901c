/** Start the API + dashboard on a port with its state (users, access log) in a folder beside the store. */
import { serve, type ServerType } from '@hono/node-server';
import { join } from 'node:path';
import { closeStore, openStore, type Store } from '../data/store.js';
import { AccessLog } from './access-log.js';
import { createApp, type AppOptions } from './app.js';
import type { RateLimit } from './auth/rate-limit.js';
import { Sessions } from './auth/sessions.js';
import { UserStore } from './auth/users.js';
import type { ServeContext } from './context.js';
import { systemClock, type Clock } from './services/clock.js';
import { Datasets } from './services/datasets.js';
import { ForecastBoard } from './services/forecasts.js';
import { JobQueue } from './services/jobs.js';
import { DEFAULT_MAP_LIMITS, type MapLimits } from './services/map-limits.js';
import { MapRunner } from './services/map-run.js';
import { Retrainer, type RetrainSchedule } from './services/retrainer.js';
import { restrictStoreFiles } from './services/store-files.js';
import { SavedResults, stateDirFor } from './services/saved-results.js';
import { DEFAULT_VIEWER_POLICY, type ViewerPolicy } from './services/viewer-policy.js';
import { safeLogLine } from './safe-text.js';

export interface ServeOptions {
  store?: string;
  /** Users file and access log (default: <store folder>/serve). */
  stateDir?: string;
  webDir: string | null;
  rateLimit?: RateLimit | null;
  /** Failed sign-ins per account and address (and five times that per address). */
  loginLimit?: RateLimit;
  /** Requests with an unknown or revoked API key, per address. */
  badKeyLimit?: RateLimit;
  /** Take the client address from the last X-Forwarded-For entry (only behind a proxy that sets it). */
  trustProxy?: boolean;
  /** Origins besides the server's own that may send state-changing requests with a session cookie. */
  allowedOrigins?: string[];
  mapLimits?: Partial<MapLimits>;
  viewerPolicy?: Partial<ViewerPolicy>;
  maxUploadBytes?: number;
  threads?: boolean;
  secureCookies?: boolean;
  schedule?: RetrainSchedule | null;
  clock?: Clock;
  tiles?: string | null;
  log?: (line: string) => void;
}

export interface Service {
  ctx: ServeContext;
  app: ReturnType<typeof createApp>;
  store: Store;
  close(): Promise<void>;
}

/** Everything but the socket: used by `crimecast serve`, and in-process by the contract tests. */
export async function createService(o: ServeOptions): Promise<Service> {
  const store = await openStore(o.store);
  const stateDir = o.stateDir ?? stateDirFor(store.path);
  restrictStoreFiles(store.path);
  // log lines may carry names from data (categories, dataset names): never let them drive the terminal
  const sink = o.log ?? ((l: string) => process.stderr.write(`crimecast serve: ${l}\n`));
  const log = (l: string) => sink(safeLogLine(l));
  const mapLimits = { ...DEFAULT_MAP_LIMITS, ...o.mapLimits };
  const threads = o.threads ?? true;
  const datasets = new Datasets(store);
  const board = new ForecastBoard();
  const ctx: ServeContext = {
    users: new UserStore(join(stateDir, 'users.json')),
    sessions: new Sessions(),
    access: new AccessLog(join(stateDir, 'access-log.jsonl')),
    datasets, board, jobs: new JobQueue(),
    retrainer: new Retrainer(datasets, board, o.clock ?? systemClock, log, { threads, limits: mapLimits }),
    threads,
    mapLimits, maps: new MapRunner(mapLimits, threads),
    viewerPolicy: { ...DEFAULT_VIEWER_POLICY, ...o.viewerPolicy },
    latest: {},
    saved: store.path === ':memory:' ? null : new SavedResults(stateDir, store.path, log),
    // an upload's ingest holds the event loop ~55 ms per MB (src/data parses it on the main thread): 16 MB ≈ 0.9 s
    maxUploadBytes: o.maxUploadBytes ?? 16 * 1024 * 1024,
    secureCookies: o.secureCookies ?? false,
    tiles: o.tiles ?? null,
    log,
  };
  if (ctx.saved) restoreResults(ctx, ctx.saved);
  if (o.schedule) ctx.retrainer.configure(o.schedule);
  if (threads && !ctx.maps.offThread) log('the compiled workers are missing (run npm run build): maps, forecasts and audits run on the main thread, where each holds every other request');
  const appOpts: AppOptions = {
    webDir: o.webDir, rateLimit: o.rateLimit === undefined ? { perMinute: 600, burst: 120 } : o.rateLimit,
    loginLimit: o.loginLimit ?? { perMinute: 10, burst: 10 }, badKeyLimit: o.badKeyLimit ?? { perMinute: 10, burst: 20 },
    trustProxy: o.trustProxy ?? false, allowedOrigins: o.allowedOrigins ?? [],
  };
  const app = createApp(ctx, appOpts);
  return {
    ctx, app, store,
    async close() {
      // jobs hold their own copy of the data and need no store; a retrain in progress reads it
      ctx.retrainer.stop();
      await ctx.retrainer.settled();
      closeStore(store);
    },
  };
}

/** Results of earlier runs on this store back on the board, and every new one saved as it finishes. */
function restoreResults(ctx: ServeContext, saved: SavedResults): void {
  const backtests = saved.loadBacktests(), pubs = saved.loadPublications();
  for (const j of backtests) ctx.jobs.restore(j);
  for (const p of pubs) ctx.board.restore(p);
  ctx.latest.audit = saved.loadLatest('audit');
  ctx.latest.allocation = saved.loadLatest('allocation');
  ctx.jobs.onFinished = (j) => saved.saveBacktest(j);
  ctx.board.onPublish = (p) => saved.savePublication(p);
  if (backtests.length || pubs.length) ctx.log(`restored ${backtests.length} backtest(s) and ${pubs.length} forecast(s) from ${saved.dir}`);
}

export async function listen(service: Service, port: number, host: string): Promise<{ url: string; server: ServerType; close(): Promise<void> }> {
  return new Promise((resolve) => {
    const server = serve({ fetch: service.app.fetch, port, hostname: host }, (info) => {
      resolve({
        url: `http://${host.includes(':') ? `[${host}]` : host}:${info.port}`,
        server,
        close: () => new Promise<void>((res) => { server.close(() => res()); (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.(); }),
      });
    });
  });
}
