/** `crimecast info`: what the embedded store holds — datasets, counts by category, time range, extent, rejects. */
import type { Command } from 'commander';
import { openIncidentStore } from '../../store/open.js';
import { printable } from '../../util/printable.js';
import { emit } from '../output.js';
import { localStamp, requireExistingStore } from '../store-selection.js';

export function register(program: Command): void {
  program
    .command('info')
    .description('summarise the store: datasets, incidents by category, time range, extent, rejects')
    .option('--dataset <name>', 'only this dataset')
    .option('--store <path|url>', 'store: a DuckDB file path, or postgres://USER@HOST/DB (default .crimecast/crimecast.duckdb, or $CRIMECAST_STORE)')
    .option('--json', 'print one JSON object on stdout')
    .action(async (o: { dataset?: string; store?: string; json?: boolean }) => {
      requireExistingStore(o.store);
      const store = await openIncidentStore(o.store);
      let info;
      try {
        info = await store.info(o.dataset);
      } finally {
        await store.close();
      }
      emit(!!o.json, info, () => {
        if (!info.datasets.length) return `store ${info.path} is empty`;
        const lines = [`store ${info.path}`];
        for (const d of info.datasets) {
          lines.push(`\ndataset ${d.dataset} (${d.tz || 'no incidents'}): ${d.incidents} incidents, ${d.rejects} rejects, ${d.files.length} file(s)`);
          if (d.from && d.to) lines.push(`  time   ${localStamp(d.from, d.tz)} .. ${localStamp(d.to, d.tz)} (${d.tz} local time)`);
          if (d.unreadable) lines.push(`  warning: ${d.unreadable} incident(s) have stored times no reader can use (year beyond 275,760); they are skipped — re-ingest the source into a new --dataset`);
          if (d.bbox) lines.push(`  extent lon ${d.bbox[0].toFixed(4)} .. ${d.bbox[2].toFixed(4)}, lat ${d.bbox[1].toFixed(4)} .. ${d.bbox[3].toFixed(4)}`);
          const shown = d.categories.slice(0, 15);
          // categories come from the data: never let one drive the terminal
          for (const c of shown) lines.push(`  ${String(c.count).padStart(9)}  ${printable(c.category)}`);
          if (d.categories.length > shown.length) lines.push(`  … and ${d.categories.length - shown.length} more categories`);
        }
        return lines.join('\n');
      });
    });
}
