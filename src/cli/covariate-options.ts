/**
 * `--covariates` (static, per region) and `--time-covariates` (time-varying, e.g. weather or monthly indicators)
 * for the commands that fit models on one's own data; both are joined to the dataset's regions and periods,
 * and what did not join is reported on stderr as counts (never values).
 */
import type { Command } from 'commander';
import { joinCovariates, mergeCovariates } from '../features/covariates.js';
import { loadTimeCovariates, parseTimeCovariateSpec } from '../features/time-covariates.js';
import type { Dataset } from '../tensor/dataset.js';
import { describeMissing } from '../features/numeric-cell.js';
import { UserError } from '../util/errors.js';

export interface CovariateOptions {
  covariates?: string[];
  timeCovariates?: string;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function addCovariateOptions(cmd: Command): Command {
  return cmd
    .option('--covariates <file,key=COL[,columns=a;b]>', 'per-region covariate table (CSV or GeoJSON properties) joined on the region id; repeat for several', collect)
    .option('--time-covariates <file,date=COL[,key=COL][,columns=a;b]>', 'time-varying covariates (rows: date[, region key], values); no key = one city-wide series');
}

function parseStatic(text: string): { path: string; key: string; columns?: string[] } {
  const [path, ...parts] = text.split(',');
  const o: Record<string, string> = {};
  for (const p of parts) {
    const eq = p.indexOf('=');
    if (eq < 0) throw new UserError(`--covariates "${text}": expected name=value after the file, got "${p}"`, 'e.g. --covariates socio.csv,key=Community Area Number');
    o[p.slice(0, eq).trim()] = p.slice(eq + 1).trim();
  }
  for (const k of Object.keys(o)) if (k !== 'key' && k !== 'columns') throw new UserError(`--covariates "${text}": unknown option "${k}" (allowed: key, columns)`);
  if (!o.key) throw new UserError(`--covariates "${text}": say which column holds the region id with key=COL`);
  return { path: path.trim(), key: o.key, columns: o.columns?.split(';').map((s) => s.trim()).filter(Boolean) };
}

/** Checks the option syntax before any data is read (fail fast). */
export function checkCovariateOptions(o: CovariateOptions): void {
  for (const text of o.covariates ?? []) parseStatic(text);
  if (o.timeCovariates) parseTimeCovariateSpec(o.timeCovariates);
}

/** Joins the requested covariates onto the dataset in place. */
export function attachCovariates(data: Dataset, o: CovariateOptions, log: (line: string) => void = (l) => process.stderr.write(l + '\n')): void {
  const ids = data.tensor.regionIds;
  if (o.covariates?.length) {
    const blocks = o.covariates.map((text) => {
      const s = parseStatic(text);
      const j = joinCovariates(s.path, ids, s.key, s.columns);
      if (j.missingRegions.length) log(`covariates ${s.path}: ${j.missingRegions.length} of ${ids.length} regions have no row (their values are missing)`);
      if (j.unmatchedKeys.length) log(`covariates ${s.path}: ${j.unmatchedKeys.length} rows match no region`);
      for (const line of describeMissing(s.path, j.missingValues)) log(line);
      return j.covariates;
    });
    data.covariates = mergeCovariates(blocks, ids.length);
  }
  if (o.timeCovariates) {
    const { timeCovariates, report } = loadTimeCovariates(parseTimeCovariateSpec(o.timeCovariates), data.tensor);
    if (report.badCount) log(`time covariates: ${report.badCount} malformed rows kept out (first: line ${report.bad[0].line}, ${report.bad[0].reason})`);
    if (report.unmatched) log(`time covariates: ${report.unmatched} rows match no region`);
    if (report.blank) log(`time covariates: ${report.blank} blank values (missing: the last earlier value carries forward)`);
    data.timeCovariates = timeCovariates;
  }
}
