/**
 * The `crimecast` command line. Each command lives in its own file under ./commands/ (named as the command) and
 * exports `register(program)`; they are discovered at start-up so adding a command never touches this file.
 * Only the command being run is imported: command files pull in heavy modules (DuckDB, TF.js, every model
 * family, the HTTP server), so `crimecast --version` loads none and `crimecast models` only its own.
 */
import { Command, CommanderError } from 'commander';
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { UserError } from '../util/errors.js';
import { commandsToLoad } from './commands-to-load.js';

export async function buildProgram(args: string[] = []): Promise<Command> {
  const program = new Command();
  program
    .name('crimecast')
    .description('Open, fast and honest spatio-temporal crime forecasting')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)');
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'commands');
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const names = readdirSync(dir).filter((f) => f.endsWith(ext) && !f.endsWith('.d.ts') && !f.endsWith('.test' + ext))
    .map((f) => f.slice(0, -ext.length)).sort();
  for (const name of commandsToLoad(args, names)) {
    const mod = (await import(pathToFileURL(join(dir, name + ext)).href)) as { register?: (p: Command) => void };
    if (typeof mod.register === 'function') mod.register(program);
  }
  return program;
}

export async function main(argv = process.argv): Promise<void> {
  const program = await buildProgram(argv.slice(2));
  program.exitOverride();
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
