/** Start-up: which command files the CLI imports for the arguments it was given (see main.ts). */

/**
 * Which command files to load for these arguments: the one named by the first non-option argument; none for
 * a bare --version; every one otherwise (help, no command, or an unknown name, so the listing and the
 * "did you mean" suggestions see them all).
 */
export function commandsToLoad(args: string[], available: string[]): string[] {
  const first = args.find((a) => !a.startsWith('-'));
  if (first !== undefined) return available.includes(first) ? [first] : available;
  const help = args.some((a) => a === '-h' || a === '--help');
  return !help && args.some((a) => a === '-V' || a === '--version') ? [] : available;
}
