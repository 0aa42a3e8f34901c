/** `crimecast models`: every registered forecaster with its family, parameters and defaults. */
import type { Command } from 'commander';
import '../../models/all.js';
import { listForecasters } from '../../models/registry.js';
import { emit } from '../output.js';
import { readStandings, standingLine } from '../../evaluate/standings.js';

export function register(program: Command): void {
  program
    .command('models')
    .description('list the registered forecasters and their parameters')
    .option('--json', 'print one JSON object on stdout')
    .action((o: { json?: boolean }) => {
      const standings = readStandings();
      const models = listForecasters().map((f) => ({
        name: f.name,
        family: f.family,
        description: f.description,
        params: Object.fromEntries(Object.entries(f.params.shape).map(([k, s]) => {
          const parsed = (s as { safeParse(v: unknown): { success: boolean; data?: unknown } }).safeParse(undefined);
          return [k, parsed.success ? parsed.data ?? null : null];
        })),
        standing: standings?.models[f.name] ? { protocol: standings.protocol, reference: standings.reference, ...standings.models[f.name] } : null,
      }));
      const head = standings
        ? `measured standing: ${standings.description} (${standings.generatedAt.slice(0, 10)}, bench/standings.mjs); better/worse = paired 95% CI excludes 0\n`
        : 'no measured standings (run node bench/standings.mjs)\n';
      emit(!!o.json, { models, standingsFile: standings ? { protocol: standings.protocol, generatedAt: standings.generatedAt, command: standings.command } : null }, () => head + models.map((m) =>
        `${m.name.padEnd(22)} ${m.family.padEnd(13)} ${m.description}${standings ? `\n${''.padEnd(37)}${standingLine(standings, m.name)}` : ''}`).join('\n'));
    });
}
