/** `crimecast serve`: the HTTP API and the web dashboard over the embedded store, with optional scheduled retraining. */
import type { Command } from 'commander';
import { fileURLToPath } from 'node:url';
import { parseCoverage, parseHorizon } from '../horizon.js';
import { createService, listen } from '../../serve/server.js';
import { checkModel, checkUnits } from '../../serve/services/spec.js';
import { HttpError } from '../../serve/http-error.js';
import { DEFAULT_MAP_LIMITS } from '../../serve/services/map-limits.js';
import { DEFAULT_VIEWER_POLICY } from '../../serve/services/viewer-policy.js';
import { parsePeriodUnit } from '../../time/bins.js';
import { UserError } from '../../util/errors.js';
import { splitList } from '../incident-source.js';
import { info } from '../output.js';

const WEB_DIR = fileURLToPath(new URL('../../../dist-web', import.meta.url));

interface ServeCommandOptions {
  port: string;
  host: string;
  store?: string;
  stateDir?: string;
  web: boolean;
  webDir?: string;
  rateLimit: string;
  maxUploadMb: string;
  threads: boolean;
  secureCookies?: boolean;
  trustProxy?: boolean;
  allowedOrigin?: string[];
  maxCells: string;
  maxNeighbourPairs: string;
  maxPermutationWork: string;
  maxTensorValues: string;
  maxResponseMb: string;
  viewerMinCell: string;
  viewerMinDays: string;
  viewerMinCount: string;
  adminUser: string;
  tiles?: string;
  retrainModel?: string;
  retrainDataset?: string;
  retrainEvery: string;
  units: string;
  period: string;
  horizon: string;
  coverage: string;
  categories?: string;
}

/** "90s", "30m", "6h", "1d" → milliseconds. */
export function parseInterval(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)\s*$/i.exec(text);
  if (!m) throw new UserError(`interval "${text}": use a number with s, m, h or d, e.g. 6h`);
  return Number(m[1]) * { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7 }[m[2].toLowerCase() as 's']!;
}

function positiveInt(text: string, name: string): number {
  const v = Number(text);
  if (!Number.isInteger(v) || v < 0) throw new UserError(`${name} must be a non-negative integer, got "${text}"`);
  return v;
}

function atLeastOne(text: string, name: string): number {
  const v = positiveInt(text, name);
  if (v < 1) throw new UserError(`${name} must be at least 1, got "${text}"`);
  return v;
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('HTTP API (OpenAPI at /api/openapi.json) and web dashboard over the store; roles, API keys, access log, scheduled retraining')
    .option('--port <n>', 'port (0 = any free port)', '8080')
    .option('--host <addr>', 'address to listen on (0.0.0.0 for every interface; put TLS in front)', '127.0.0.1')
    .option('--store <path>', 'store path (default .crimecast/crimecast.duckdb, or $CRIMECAST_STORE)')
    .option('--state-dir <dir>', 'users file and access log (default: <store folder>/serve)')
    .option('--no-web', 'serve the API only')
    .option('--web-dir <dir>', 'bundled dashboard folder (default: dist-web of the package, built by npm run build)')
    .option('--rate-limit <n>', 'requests a minute per user or address (0 = off)', '600')
    .option('--max-upload-mb <n>', 'largest upload accepted (its ingest holds other requests ~55 ms a MB; ingest larger files with crimecast ingest)', '16')
    .option('--no-threads', 'run backtests, forecast fits, audits and maps on the main thread (debugging only: each then holds every other request)')
    .option('--secure-cookies', 'mark session cookies Secure (when served over HTTPS)')
    .option('--trust-proxy', 'behind a reverse proxy: rate-limit by the last X-Forwarded-For address (without it, everyone behind the proxy shares one limit)')
    .option('--allowed-origin <origin...>', 'other origins (scheme://host[:port]) allowed to send state-changing requests with a session cookie')
    .option('--max-cells <n>', 'regions one hot-spot or unit-map request may build', String(DEFAULT_MAP_LIMITS.maxCells))
    .option('--max-neighbour-pairs <n>', 'neighbour pairs of one hot-spot request\'s spatial weights', String(DEFAULT_MAP_LIMITS.maxNeighbourPairs))
    .option('--max-permutation-work <n>', 'neighbour pairs × 499 permutations of one local Moran\'s I request', String(DEFAULT_MAP_LIMITS.maxPermutationWork))
    .option('--max-tensor-values <n>', 'regions × periods × categories of one backtest or forecast', String(DEFAULT_MAP_LIMITS.maxTensorValues))
    .option('--max-response-mb <n>', 'largest hot-spot or unit-map answer', String(DEFAULT_MAP_LIMITS.maxResponseBytes / 1024 / 1024))
    .option('--viewer-min-cell <m>', 'viewers: smallest grid cell in metres (and H3 resolutions at least that coarse)', String(DEFAULT_VIEWER_POLICY.minCellMetres))
    .option('--viewer-min-days <n>', 'viewers: shortest time window of a map, days', String(DEFAULT_VIEWER_POLICY.minDays))
    .option('--viewer-min-count <k>', 'viewers: cells holding fewer incidents are withheld', String(DEFAULT_VIEWER_POLICY.minCount))
    .option('--tiles <url>', 'base-map tile URL template for the dashboard, e.g. http://tiles.local/{z}/{x}/{y}.png (default: none, units only)')
    .option('--admin-user <name>', 'name of the first admin, created from $CRIMECAST_ADMIN_PASSWORD when there are no users', 'admin')
    .option('--retrain-model <spec>', 'refit this model on schedule and publish its forecast')
    .option('--retrain-dataset <name>', 'dataset the scheduled model is fitted on')
    .option('--retrain-every <interval>', 'retraining interval, e.g. 6h, 30m, 1d', '24h')
    .option('--units <spec>', 'scheduled forecast: spatial units (grid:M or h3:R)', 'grid:500')
    .option('--period <unit>', 'scheduled forecast: hour | day | week | month', 'day')
    .option('--horizon <h>', 'scheduled forecast: periods ahead or a duration like 7d', '7d')
    .option('--coverage <c>', 'scheduled forecast: share of the area to flag', '5%')
    .option('--categories <list>', 'scheduled forecast: categories (default: all)')
    .action(async (o: ServeCommandOptions) => {
      const port = positiveInt(o.port, '--port');
      if (o.tiles && !/^https?:\/\/[^/]+\/.*\{z\}.*\{x\}.*\{y\}/.test(o.tiles)) throw new UserError(`--tiles "${o.tiles}": give an http(s) URL template with {z}, {x} and {y}`);
      const limit = positiveInt(o.rateLimit, '--rate-limit');
      let schedule = null;
      if (o.retrainModel || o.retrainDataset) {
        if (!o.retrainModel || !o.retrainDataset) throw new UserError('--retrain-model and --retrain-dataset go together');
        const period = parsePeriodUnit(o.period);
        try { checkModel(o.retrainModel); checkUnits(o.units); } catch (e) { throw new UserError((e as HttpError).message, (e as HttpError).hint); }
        schedule = {
          intervalMs: parseInterval(o.retrainEvery),
          request: {
            dataset: o.retrainDataset, model: o.retrainModel, units: o.units, period, horizon: parseHorizon(o.horizon, period),
            coverage: parseCoverage(o.coverage), categories: o.categories ? splitList(o.categories) : undefined, seed: 1,
          },
        };
      }
      // every file the server writes (store, DuckDB's write-ahead log, users, access log) is the owner's only
      process.umask(0o077);
      const service = await createService({
        store: o.store, stateDir: o.stateDir, webDir: o.web ? o.webDir ?? WEB_DIR : null,
        rateLimit: limit > 0 ? { perMinute: limit, burst: Math.max(10, Math.ceil(limit / 5)) } : null,
        maxUploadBytes: positiveInt(o.maxUploadMb, '--max-upload-mb') * 1024 * 1024, threads: o.threads, secureCookies: !!o.secureCookies, tiles: o.tiles ?? null,
        trustProxy: !!o.trustProxy, allowedOrigins: o.allowedOrigin ?? [],
        mapLimits: {
          maxCells: atLeastOne(o.maxCells, '--max-cells'), maxNeighbourPairs: atLeastOne(o.maxNeighbourPairs, '--max-neighbour-pairs'),
          maxPermutationWork: atLeastOne(o.maxPermutationWork, '--max-permutation-work'),
          maxTensorValues: atLeastOne(o.maxTensorValues, '--max-tensor-values'),
          maxResponseBytes: atLeastOne(o.maxResponseMb, '--max-response-mb') * 1024 * 1024,
        },
        viewerPolicy: { minCellMetres: atLeastOne(o.viewerMinCell, '--viewer-min-cell'), minDays: positiveInt(o.viewerMinDays, '--viewer-min-days'), minCount: atLeastOne(o.viewerMinCount, '--viewer-min-count') },
      });
      if (service.ctx.users.size === 0) {
        const pw = process.env.CRIMECAST_ADMIN_PASSWORD;
        if (!pw) {
          await service.close();
          throw new UserError('no users yet: the first admin is created from $CRIMECAST_ADMIN_PASSWORD', `run CRIMECAST_ADMIN_PASSWORD='a long passphrase' crimecast serve (creates "${o.adminUser}"; change users later in the dashboard)`);
        }
        try { await service.ctx.users.create(o.adminUser, pw, 'admin'); } catch (e) { await service.close(); throw new UserError((e as Error).message, (e as HttpError).hint); }
        info(`created admin user "${o.adminUser}"`);
      } else if (process.env.CRIMECAST_ADMIN_PASSWORD) {
        // the variable only creates the first admin: say so rather than let a changed password look accepted
        const file = service.ctx.users.path;
        info(`$CRIMECAST_ADMIN_PASSWORD is ignored: ${file} already has ${service.ctx.users.size} user(s), and the variable only creates the first admin. `
          + `To change a password, an admin removes and re-creates the user (Admin tab, or DELETE then POST /api/users); `
          + `to start over, stop the server, delete ${file} (every user and API key is lost) and start it again with the variable set.`);
      }
      if (schedule) {
        service.ctx.retrainer.configure(schedule);
        void service.ctx.retrainer.runNow().catch(() => undefined);
      }
      const http = await listen(service, port, o.host);
      // handlers before the URL line: whoever reads that line may signal at once (a test, a supervisor)
      const stop = async () => { await http.close(); await service.close(); process.exit(0); };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
      info(`crimecast serve: ${http.url} (API ${http.url}/api/openapi.json${o.web ? `, dashboard ${http.url}/` : ''})`);
    });
}
