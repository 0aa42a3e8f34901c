/** The preset registry: one file per source schema. */
import { UserError } from '../../util/errors.js';
import type { Preset } from '../ingest/spec.js';
import { chicago } from './chicago.js';
import { denver } from './denver.js';
import { lapd } from './lapd.js';
import { nijPortland } from './nij-portland.js';
import { nypd } from './nypd.js';
import { sf } from './sf.js';
import { stshnChicago } from './stshn-chicago.js';

export const PRESETS: Readonly<Record<string, Preset>> = Object.fromEntries(
  [chicago, nypd, lapd, sf, nijPortland, denver, stshnChicago].map((p) => [p.name, p]),
);

export function getPreset(name: string): Preset {
  // own keys only: "__proto__" or "toString" must not resolve to Object.prototype's members
  const p = Object.hasOwn(PRESETS, name) ? PRESETS[name] : undefined;
  if (!p) throw new UserError(`unknown preset "${name}"`, `valid presets: ${Object.keys(PRESETS).join(', ')} (or omit --preset and give --time-col/--lat-col/--lon-col/--category-col)`);
  return p;
}
