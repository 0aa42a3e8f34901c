/**
 * Every command's name, help term and one-line description, so `crimecast --help` (and a mistyped command's
 * "did you mean") can list them without importing the command files and the heavy modules they pull in (DuckDB,
 * TF.js, every model family). The real text lives in each command's register(); test/cli/start-up.test.ts
 * compares this list with the help the loaded commands print, so the two cannot drift apart.
 */
export interface CommandEntry {
  /** The term as the help lists it, e.g. "ingest [options] <files...>". */
  term: string;
  description: string;
}

export const COMMAND_INDEX: Readonly<Record<string, CommandEntry>> = {
  allocate: { term: 'allocate [options]', description: 'allocate patrol units to regions per shift to maximise expected crime covered (greedy or MIP)' },
  audit: { term: 'audit [options]', description: 'fairness audit of flagged areas: shares vs population and recorded crime, hit rate, PAI and calibration per group, with bootstrap CIs' },
  backtest: { term: 'backtest [options]', description: 'rolling-origin backtest of models under a published protocol or on your own data; leaderboard with 95% CIs' },
  cluster: { term: 'cluster [options]', description: 'cluster incidents into hot spots and write convex hulls as GeoJSON' },
  demo: { term: 'demo [options]', description: "run the main job on the bundled Chicago sample: ingest, backtest the baselines, HTML report, next week's forecast" },
  explain: { term: 'explain [options]', description: 'why a feature model forecasts what it does: permutation importance on held-out periods and partial dependence of the top features' },
  forecast: { term: 'forecast [options]', description: "fit a model on all data before --from and write the next periods' risk per region (GeoJSON + CSV)" },
  grid: { term: 'grid [options]', description: 'build spatial units (square grid, H3, polygons, ST-SHN grid) and write them as GeoJSON' },
  hotspots: { term: 'hotspots [options]', description: "hot-spot statistics per region: Getis-Ord Gi*, Moran's I (global + local), or emerging hot spots" },
  info: { term: 'info [options]', description: 'summarise the store: datasets, incidents by category, time range, extent, rejects' },
  ingest: { term: 'ingest [options] <files...>', description: 'read incident files (CSV, GeoJSON, Parquet) into the store (embedded, or PostgreSQL with --store postgres://…); re-ingesting adds only new incidents' },
  models: { term: 'models [options]', description: 'list the registered forecasters and their parameters' },
  nearrepeat: { term: 'nearrepeat [options]', description: 'Knox test for near-repeat victimisation: observed vs permuted pair counts by distance and time band' },
  rct: { term: 'rct', description: 'design and analyse randomised controlled trials of patrol strategies' },
  'risk-terrain': { term: 'risk-terrain [options]', description: 'risk-terrain layers per region (distance to the nearest point and points within a radius, per layer file) as GeoJSON/CSV' },
  serve: { term: 'serve [options]', description: 'HTTP API (OpenAPI at /api/openapi.json) and web dashboard over the store; roles, API keys, access log, scheduled retraining' },
  'simulate-feedback': { term: 'simulate-feedback [options]', description: 'simulate the feedback loop of forecast-driven patrols (Ensign et al. 2018) and its corrections' },
  'simulate-policy': { term: 'simulate-policy [options]', description: 'compare an adaptive patrol policy with static top-k on a simulator driven by the real Chicago daily counts' },
  tensor: { term: 'tensor [options]', description: 'count incidents per period, region and category into a tensor (.npy + .meta.json, or long CSV)' },
  trend: { term: 'trend [options]', description: "STL decomposition and change points of an area's or the city's crime counts (JSON or SVG), or the areas whose series are most like one area's" },
  tune: { term: 'tune [options]', description: 'hyper-parameter search (random / successive halving) on validation periods before the test span, winner backtested on test' },
  worker: { term: 'worker [options]', description: 'run jobs from the Redis queue (backtest, forecast, trial); results go to PostgreSQL' },
};
