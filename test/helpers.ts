/** Shared test helpers. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import { it } from 'vitest';

export const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
/** The shared data folder lies beside the repository (../shared/data), locally and in CI. */
export const SHARED_DATA = resolve(REPO_ROOT, '..', 'shared', 'data');

/**
 * Whether tests must run whatever they need: CRIMECAST_REQUIRE_ALL=1 (exported by .ci/run), or CI set
 * (unless CRIMECAST_REQUIRE_ALL=0 opts out). Then a missing prerequisite fails the run instead of skipping.
 */
export function requireAll(): boolean {
  const all = process.env.CRIMECAST_REQUIRE_ALL?.trim();
  if (all === '1') return true;
  if (all === '0') return false;
  const ci = process.env.CI?.trim().toLowerCase();
  return !!ci && ci !== '0' && ci !== 'false';
}

const reported = new Set<string>();

/**
 * The one gate for tests that depend on something outside the repository (a server URL, a browser, ../shared/data,
 * the compiled dist/): use as `describe.runIf(requirePrerequisite(...))`. When `available` is false:
 *  - under requireAll() it registers a failing test named after the prerequisite, so the run goes red and says
 *    what is missing (the dependent tests are skipped, the rest of the file still runs);
 *  - otherwise it prints why the tests are skipped and how to enable them, and registers a skipped test that says so.
 * Call it where tests are collected (top level or inside a describe), never inside a test.
 */
export function requirePrerequisite(name: string, available: boolean, howToEnable: string): boolean {
  if (available) return true;
  if (reported.has(name)) return false; // one message per prerequisite per test file
  reported.add(name);
  if (requireAll()) {
    it(`prerequisite: ${name}`, () => {
      throw new Error(`missing prerequisite: ${name} (CRIMECAST_REQUIRE_ALL/CI is set, so this fails instead of skipping). To provide it: ${howToEnable}`);
    });
  } else {
    console.warn(`skipping tests that need ${name}: it is missing. To run them: ${howToEnable}`);
    it.skip(`needs ${name} — ${howToEnable}`, () => undefined);
  }
  return false;
}

/** Path of a file in ../shared/data. */
export function sharedPath(rel: string): string {
  return resolve(SHARED_DATA, rel);
}
/** Whether a ../shared/data file is there (a prerequisite: see requirePrerequisite). */
export function hasShared(rel: string): boolean {
  return requirePrerequisite(`shared data file ../shared/data/${rel}`, existsSync(sharedPath(rel)),
    `place the shared data folder beside the repository (expected at ${sharedPath(rel)})`);
}

/** Whether the compiled build is there (a prerequisite): `rel` is a path under dist/, e.g. 'cli/main.js'. */
export function hasBuild(rel: string): boolean {
  const path = join(REPO_ROOT, 'dist', rel);
  return requirePrerequisite(`the compiled build (dist/${rel})`, existsSync(path), 'run `npm run build` (`npm test` builds first)');
}

/**
 * n random decimal texts for parser tests: 1–18 digits, a sign on 30%, the point anywhere, an exponent on 20%
 * (the digit counts straddle the 15 significant digits of the fast paths).
 */
export function randomDecimalTexts(random: () => number, n: number): string[] {
  const out: string[] = [];
  for (let k = 0; k < n; k++) {
    const digits = 1 + Math.floor(random() * 18);
    let t = random() < 0.3 ? '-' : '';
    for (let d = 0; d < digits; d++) t += String(Math.floor(random() * 10));
    const dot = Math.floor(random() * (digits + 1));
    t = t.slice(0, t.length - dot) + '.' + t.slice(t.length - dot);
    if (random() < 0.2) t += 'e' + (random() < 0.5 ? '-' : '') + Math.floor(random() * 30);
    out.push(t);
  }
  return out;
}
