/**
 * Lists every skipped test by file and name at the end of the run, with the share of the suite: the default
 * reporter only counts them, and a skip nobody can read is a silent one. Skips carry their reason in the name
 * (e.g. "opt-in slow test: set CRIMECAST_SLOW_TESTS=1") or in the prerequisite message test/helpers.ts prints.
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class SkippedTestsReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let total = 0;
    const skipped: string[] = [];
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        total++;
        if (t.result().state === 'skipped') skipped.push(`  ↓ ${m.moduleId.replace(`${process.cwd()}/`, '')} › ${t.fullName}`);
      }
    }
    if (!skipped.length) return;
    const share = total ? ((100 * skipped.length) / total).toFixed(1) : '0';
    process.stdout.write(`\nSkipped tests: ${skipped.length} of ${total} (${share}%)\n${skipped.join('\n')}\n`);
  }
}
