/** Parameter parsers shared by model and feature schemas (values arrive as strings from specs and the CLI). */
import { z } from 'zod';

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/**
 * A boolean model/feature parameter. `z.coerce.boolean()` would turn the string "false" from a spec into true;
 * this parses true/false/1/0/yes/no/on/off and rejects anything else with zod's message.
 */
export function flag(def: boolean) {
  return z
    .preprocess((v) => {
      if (typeof v !== 'string') return v;
      const s = v.trim().toLowerCase();
      return TRUE.has(s) ? true : FALSE.has(s) ? false : v;
    }, z.boolean())
    .default(def);
}
