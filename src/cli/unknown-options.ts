/**
 * "Did you mean" for a mistyped option even when a required option is also missing: commander reports a missing
 * required option before an unknown one, so `forecast --modle gbm` said "required option --model not specified"
 * and never pointed at the typo. This scan runs before parsing and reports the first unknown long option with the
 * closest known ones.
 */
import type { Command } from 'commander';

/** Edit distance (insertions, deletions, substitutions and adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) {
    const cost = a[i - 1] === b[j - 1] ? 0 : 1;
    d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
    if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
  }
  return d[a.length][b.length];
}

/** Known words within 40% of the typed word's length in edits, closest first (at most three). */
export function similar(word: string, known: string[]): string[] {
  const strip = (s: string) => s.replace(/^--?/, '');
  const w = strip(word);
  const scored = known.map((k) => ({ k, d: editDistance(w, strip(k)) }))
    .filter(({ k, d }) => d > 0 && d <= Math.max(1, Math.floor(0.4 * Math.max(w.length, strip(k).length))))
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k));
  const best = scored.length ? scored[0].d : 0;
  return scored.filter((s) => s.d === best).slice(0, 3).map((s) => s.k);
}

/** The command `args` run (descending into subcommands such as `rct design`) and the arguments left for it. */
export function targetCommand(program: Command, args: string[]): { cmd: Command; rest: string[] } {
  let cmd = program, rest = args;
  for (;;) {
    const i = rest.findIndex((a) => !a.startsWith('-'));
    if (i < 0 || i > 0) return { cmd, rest };
    const sub = cmd.commands.find((c) => c.name() === rest[0] || c.aliases().includes(rest[0]));
    if (!sub) return { cmd, rest };
    cmd = sub; rest = rest.slice(1);
  }
}

/** The first `--long` option the command does not know, with suggestions; undefined when all are known. */
export function unknownLongOption(cmd: Command, args: string[]): { option: string; suggestions: string[] } | undefined {
  // how each option takes a value: 'required' always eats the next token, 'optional' only one not starting with '-'
  const longs = new Map<string, 'required' | 'optional' | 'none'>();
  for (const o of cmd.options) if (o.long) longs.set(o.long, o.required ? 'required' : o.optional ? 'optional' : 'none');
  longs.set('--help', 'none');
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') return undefined;
    if (!a.startsWith('--')) continue;
    const name = a.split('=')[0];
    if (!longs.has(name)) return { option: name, suggestions: similar(name, [...longs.keys()]) };
    // the next token is this option's value (it may start with '-', e.g. --bbox -87.9,41.6,…)
    const takes = longs.get(name);
    if (!a.includes('=') && (takes === 'required' || (takes === 'optional' && i + 1 < args.length && !args[i + 1].startsWith('-')))) i++;
  }
  return undefined;
}
