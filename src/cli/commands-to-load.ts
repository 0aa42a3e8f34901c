/** Start-up: which command files the CLI imports for the arguments it was given (see main.ts). */

/**
 * Which command files to load for these arguments: the one named by the first non-option argument (or by
 * `help NAME`); none otherwise — help, no command, --version or a mistyped name are answered from the command
 * index (command-index.ts) without importing any command module.
 */
export function commandsToLoad(args: string[], available: string[]): string[] {
  const words = args.filter((a) => !a.startsWith('-'));
  const first = words[0];
  if (first !== undefined && available.includes(first)) return [first];
  if (first === 'help' && words[1] !== undefined && available.includes(words[1])) return [words[1]];
  return [];
}
