import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { commandsToLoad } from '../../src/cli/commands-to-load.js';
import { COMMAND_INDEX } from '../../src/cli/command-index.js';
import { helpWidthFor, wrapText } from '../../src/cli/help-layout.js';
import { similar, targetCommand, unknownLongOption } from '../../src/cli/unknown-options.js';
import { hasBuild, REPO_ROOT } from '../helpers.js';

const all = ['backtest', 'forecast', 'ingest', 'models', 'rct', 'serve'];

describe('CLI start-up loads only the command being run', () => {
  it('picks the command named by the first non-option argument, or by help NAME', () => {
    expect(commandsToLoad(['models', '--json'], all)).toEqual(['models']);
    expect(commandsToLoad(['backtest', '--help'], all)).toEqual(['backtest']);
    expect(commandsToLoad(['rct', 'design', '-n', '4'], all)).toEqual(['rct']);
    expect(commandsToLoad(['help', 'models'], all)).toEqual(['models']);
  });

  it('loads none for --version, --help, no command or an unknown one (the index answers those)', () => {
    for (const args of [['--version'], ['-V'], [], ['--help'], ['-h', '-V'], ['modles'], ['help'], ['help', 'nope']]) {
      expect(commandsToLoad(args, all)).toEqual([]);
    }
  });

  it('the command index lists every command file', () => {
    const files = readdirSync(join(REPO_ROOT, 'src/cli/commands')).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();
    expect(files.filter((f) => !Object.hasOwn(COMMAND_INDEX, f)), 'add these commands to src/cli/command-index.ts').toEqual([]);
  });
});

describe('help layout and suggestions', () => {
  it('wraps at the width, breaking an over-long spec after its commas', () => {
    const lines = wrapText('spatial units: grid:cell=M,origin=LAT/LON,adjacency=rook|queen,mask=incidents|FILE.geojson and more words here', 30);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(30);
    expect(lines.join(' ').replace(/ /g, '')).toBe('spatialunits:grid:cell=M,origin=LAT/LON,adjacency=rook|queen,mask=incidents|FILE.geojsonandmorewordshere');
    expect(helpWidthFor({ isTTY: false }, {})).toBe(100);
    expect(helpWidthFor({ isTTY: false }, { COLUMNS: '72' })).toBe(72);
    expect(helpWidthFor({ isTTY: true, columns: 132 }, {})).toBe(132);
  });

  it('finds the first unknown long option with the closest known ones, skipping option values', () => {
    const p = new Command();
    const f = p.command('forecast').requiredOption('--model <spec>').option('--bbox <box>').option('--json').option('--explain [file]');
    const { cmd, rest } = targetCommand(p, ['forecast', '--bbox', '-87.9,41.6', '--modle', 'gbm']);
    expect(cmd).toBe(f);
    expect(unknownLongOption(cmd, rest)).toEqual({ option: '--modle', suggestions: ['--model'] });
    expect(unknownLongOption(f, ['--model=gbm', '--json', '--explain', '--jsno'])).toEqual({ option: '--jsno', suggestions: ['--json'] });
    expect(unknownLongOption(f, ['--model', '--weird-value', '--json'])).toBeUndefined();
    expect(unknownLongOption(f, ['--zzzzzz'])).toEqual({ option: '--zzzzzz', suggestions: [] });
    expect(similar('forcast', ['forecast', 'models', 'trend'])).toEqual(['forecast']);
  });
});

describe.runIf(hasBuild('cli/main.js'))('the built CLI', () => {
  const run = (args: string[], env: Record<string, string> = {}) => spawnSync(process.execPath, [join(REPO_ROOT, 'bin/crimecast.js'), ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, COLUMNS: '', ...env } });
  it('prints its version; help from the index equals the help of every loaded command, within 100 columns', () => {
    const v = run(['--version']);
    expect(v.status).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const h = run(['--help']);
    expect(h.status).toBe(0);
    for (const c of ['backtest', 'forecast', 'ingest', 'models', 'serve', 'explain', 'risk-terrain']) expect(h.stdout).toMatch(new RegExp(`^\\s+${c}\\b`, 'm'));
    const full = run(['--help'], { CRIMECAST_LOAD_ALL_COMMANDS: '1' });
    expect(h.stdout, 'src/cli/command-index.ts must repeat each command\'s help term and register() description').toBe(full.stdout);
    expect(Math.max(...h.stdout.split('\n').map((l) => [...l].length))).toBeLessThanOrEqual(100);
    const typo = run(['modles']);
    expect(typo.status).not.toBe(0);
    expect(typo.stderr).toMatch(/Did you mean models\?/i);
    const opt = run(['forecast', '--modle', 'gbm']);
    expect(opt.status).toBe(1);
    expect(opt.stderr).toMatch(/unknown option '--modle'\n\(Did you mean --model\?\)/);
    const sub = run(['forecast', '--help']);
    expect(Math.max(...sub.stdout.split('\n').map((l) => [...l].length))).toBeLessThanOrEqual(100);
  });
});
