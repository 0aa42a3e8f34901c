/**
 * The `crimecast` command line. Each command lives in its own file under ./commands/ (named as the command) and
 * exports `register(program)`; they are discovered at start-up so adding a command never touches this file.
 * Only the command being run is imported: command files pull in heavy modules (DuckDB, TF.js, every model
 * family, the HTTP server), so `crimecast --version` and `crimecast --help` load none (the help and "did you
 * mean" come from command-index.ts) and `crimecast models` only its own. A command file missing from the index is
 * loaded for real, so it still shows up; CRIMECAST_LOAD_ALL_COMMANDS=1 loads every one (the test compares both).
 */
import { Command, CommanderError, Help } from 'commander';
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { UserError } from '../util/errors.js';
import { commandsToLoad } from './commands-to-load.js';
import { COMMAND_INDEX } from './command-index.js';
import { useHelpLayout } from './help-layout.js';
import { targetCommand, unknownLongOption } from './unknown-options.js';

export async function buildProgram(args: string[] = []): Promise<Command> {
  const program = new Command();
  program
    .name('crimecast')
    .description('Open, fast and honest spatio-temporal crime forecasting')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .showSuggestionAfterError(true);
  // before any command is added: subcommands inherit the layout
  const stubs = new WeakSet<Command>();
  useHelpLayout(program, {
    subcommandTerm(this: Help, cmd: Command) { return stubs.has(cmd) ? COMMAND_INDEX[cmd.name()].term : Help.prototype.subcommandTerm.call(this, cmd); },
  });
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'commands');
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const names = readdirSync(dir).filter((f) => f.endsWith(ext) && !f.endsWith('.d.ts') && !f.endsWith('.test' + ext))
    .map((f) => f.slice(0, -ext.length)).sort();
  const load = process.env.CRIMECAST_LOAD_ALL_COMMANDS === '1' ? names : commandsToLoad(args, names);
  for (const name of names) {
    if (!load.includes(name) && Object.hasOwn(COMMAND_INDEX, name)) {
      // listed in help and matched by "did you mean", never run: running a command loads its file
      stubs.add(program.command(name).description(COMMAND_INDEX[name].description));
      continue;
    }
    const mod = (await import(pathToFileURL(join(dir, name + ext)).href)) as { register?: (p: Command) => void };
    if (typeof mod.register === 'function') mod.register(program);
  }
  return program;
}


export async function main(argv = process.argv): Promise<void> {
  const program = await buildProgram(argv.slice(2));
  program.exitOverride();
  const { cmd, rest } = targetCommand(program, argv.slice(2));
  const unknown = cmd !== program && cmd.commands.length === 0 ? unknownLongOption(cmd, rest) : undefined;
  if (unknown) {
    // before commander's own checks, which name a missing required option first and never the typo
    const hint = unknown.suggestions.length ? `\n(Did you mean ${unknown.suggestions.join(' or ')}?)` : '';
    process.stderr.write(`error: unknown option '${unknown.option}'${hint}\n(run crimecast ${cmd.parent && cmd.parent !== program ? cmd.parent.name() + ' ' : ''}${cmd.name()} --help for its options)\n`);
    process.exitCode = 1;
    return;
  }
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    if (err instanceof UserError) {
      process.stderr.write(`crimecast: ${err.message}\n${err.hint ? `hint: ${err.hint}\n` : ''}`);
      process.exitCode = 2;
      return;
    }
    throw err;
  }
}

await main();
