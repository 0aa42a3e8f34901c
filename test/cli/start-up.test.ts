import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandsToLoad } from '../../src/cli/commands-to-load.js';
import { hasBuild, REPO_ROOT } from '../helpers.js';

const all = ['backtest', 'forecast', 'ingest', 'models', 'rct', 'serve'];

describe('CLI start-up loads only the command being run', () => {
  it('picks the command named by the first non-option argument', () => {
    expect(commandsToLoad(['models', '--json'], all)).toEqual(['models']);
    expect(commandsToLoad(['backtest', '--help'], all)).toEqual(['backtest']);
    expect(commandsToLoad(['rct', 'design', '-n', '4'], all)).toEqual(['rct']);
  });

  it('loads none for a bare --version and all for help, no command or an unknown one', () => {
    expect(commandsToLoad(['--version'], all)).toEqual([]);
    expect(commandsToLoad(['-V'], all)).toEqual([]);
    expect(commandsToLoad([], all)).toEqual(all);
    expect(commandsToLoad(['--help'], all)).toEqual(all);
    expect(commandsToLoad(['-h', '-V'], all)).toEqual(all);
    expect(commandsToLoad(['help', 'models'], all)).toEqual(all);
    expect(commandsToLoad(['modles'], all)).toEqual(all);
  });

  describe.runIf(hasBuild('cli/main.js'))('the built CLI', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, [join(REPO_ROOT, 'bin/crimecast.js'), ...args], { encoding: 'utf8', timeout: 60_000 });
    it('prints its version, and help still lists every command', () => {
      const v = run('--version');
      expect(v.status).toBe(0);
      expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
      const h = run('--help');
      expect(h.status).toBe(0);
      for (const c of ['backtest', 'forecast', 'ingest', 'models', 'serve']) expect(h.stdout).toMatch(new RegExp(`^\\s+${c}\\b`, 'm'));
      const typo = run('modles');
      expect(typo.status).not.toBe(0);
      expect(typo.stderr).toMatch(/Did you mean models\?/i);
    });
  });
});
