/**
 * Read a benchmark spec file: JSON only (no YAML parser is installed; JSON keeps the dependency list as it is),
 * validated against the schema with errors that name the file and the field. Paths inside a spec resolve relative
 * to the spec file, or against the shared data folder when they start with ${SHARED_DATA}.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { UserError } from '../../util/errors.js';
import { specSchema, type BenchmarkSpec } from './schema.js';
import { PACKAGE_ROOT } from '../backtest/parallel.js';

export interface LoadedSpec {
  spec: BenchmarkSpec;
  /** The spec file (paths in it resolve against its folder). */
  file: string;
}

const SHARED = '${SHARED_DATA}';

export function parseSpec(text: string, file: string): LoadedSpec {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${file}: not valid JSON (${(e as Error).message})`, 'benchmark specs are JSON files; copy one of protocols/*.json as a start');
  }
  const parsed = specSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.slice(0, 8).map((i) => `  ${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`);
    throw new UserError(`${file}: invalid benchmark spec\n${lines.join('\n')}`, 'see "Benchmark spec files" in docs-benchmark-specs.md for every field');
  }
  return { spec: parsed.data, file: resolve(file) };
}

export function loadSpecFile(file: string): LoadedSpec {
  if (!existsSync(file)) throw new UserError(`benchmark spec ${file} not found`);
  return parseSpec(readFileSync(file, 'utf8'), file);
}

/** The shared data folder: --data-dir, $CRIMECAST_SHARED_DATA, or ../shared/data beside the package. */
export function sharedDataRoot(dataDir?: string): string {
  return dataDir ?? process.env.CRIMECAST_SHARED_DATA ?? join(PACKAGE_ROOT, '..', 'shared', 'data');
}

/** A path written in a spec, made absolute; `field` names it in the error when the file is missing. */
export function specPath(loaded: LoadedSpec, p: string, field: string, dataDir?: string): string {
  let out: string;
  if (p.startsWith(SHARED)) out = join(sharedDataRoot(dataDir), p.slice(SHARED.length));
  else out = isAbsolute(p) ? p : resolve(dirname(loaded.file), p);
  if (!existsSync(out)) {
    throw new UserError(`${loaded.file}: ${field} "${p}" → ${out} not found`,
      p.startsWith(SHARED) ? 'pass --data-dir pointing at the shared data folder (or set CRIMECAST_SHARED_DATA)' : 'paths in a spec are relative to the spec file');
  }
  return out;
}
