/** `crimecast models`: every registered forecaster with its family, parameters and defaults. */
import type { Command } from 'commander';
import '../../models/all.js';
import { listForecasters } from '../../models/registry.js';
import { emit } from '../output.js';

export function register(program: Command): void {
  program
    .command('models')
    .description('list the registered forecasters and their parameters')
    .option('--json', 'print one JSON object on stdout')
    .action((o: { json?: boolean }) => {
      const models = listForecasters().map((f) => ({
        name: f.name,
        family: f.family,
        description: f.description,
        params: Object.fromEntries(Object.entries(f.params.shape).map(([k, s]) => {
          const parsed = (s as { safeParse(v: unknown): { success: boolean; data?: unknown } }).safeParse(undefined);
          return [k, parsed.success ? parsed.data ?? null : null];
        })),
      }));
      emit(!!o.json, { models }, () => models.map((m) => `${m.name.padEnd(22)} ${m.family.padEnd(13)} ${m.description}`).join('\n'));
    });
}
