/**
 * The published protocols as spec files shipped in protocols/ at the package root: `--protocol NAME` is the spec
 * protocols/NAME.json, run like any user spec (`--spec FILE`).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../backtest/parallel.js';
import { UserError } from '../../util/errors.js';
import { listProtocols, registerProtocol } from '../protocols/registry.js';
import { loadSpecFile, type LoadedSpec } from './load.js';
import { runSpec } from './run.js';

export const SHIPPED_SPECS = join(PACKAGE_ROOT, 'protocols');

export function shippedSpecPath(name: string): string {
  return join(SHIPPED_SPECS, `${name}.json`);
}

export function loadShippedSpec(name: string): LoadedSpec {
  const file = shippedSpecPath(name);
  if (!existsSync(file)) throw new UserError(`no shipped protocol spec ${file}`);
  return loadSpecFile(file);
}

/** Register protocols/NAME.json as `--protocol NAME` (once). */
export function registerShippedSpec(name: string): void {
  if (listProtocols().some((p) => p.name === name)) return;
  const { spec } = loadShippedSpec(name);
  if (spec.name !== name) throw new Error(`${shippedSpecPath(name)} names itself "${spec.name}"`);
  registerProtocol({
    name, description: spec.description,
    run: (models, opts = {}) => runSpec(loadShippedSpec(name), models, opts),
    // count specs score --external files through the rolling engine
    acceptsExternal: spec.task === 'counts',
  });
}

/** Every shipped spec file. */
export function registerShippedSpecs(): void {
  if (!existsSync(SHIPPED_SPECS)) return;
  for (const f of readdirSync(SHIPPED_SPECS).sort()) if (f.endsWith('.json')) registerShippedSpec(f.slice(0, -5));
}
