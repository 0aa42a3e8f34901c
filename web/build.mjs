// Bundles the dashboard (web/src → dist-web/) with esbuild: one JS and one CSS file, Leaflet and uPlot included, so
// the dashboard works with no network. Usage: node web/build.mjs [outDir]
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export async function buildWeb(outDir = resolve(here, '..', 'dist-web')) {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, 'assets'), { recursive: true });
  await build({
    entryPoints: [join(here, 'src', 'main.ts')],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    outfile: join(outDir, 'assets', 'app.js'),
    // Leaflet's CSS names a few PNGs (layer control, default marker): inline them
    loader: { '.png': 'dataurl', '.svg': 'dataurl' },
    legalComments: 'linked',
    logLevel: 'warning',
  });
  copyFileSync(join(here, 'index.html'), join(outDir, 'index.html'));
  return outDir;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildWeb(process.argv[2] ? resolve(process.argv[2]) : undefined);
  process.stdout.write(`dashboard bundled → ${out}\n`);
}
