/**
 * Progress bars on stderr, shown only when stderr is a terminal (never pollutes --json stdout or CI logs),
 * and only for work that is still running after ~1 s.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  /** Report progress as done/total (total may change). */
  update(done: number, total?: number, label?: string): void;
  stop(): void;
}

export function startProgress(title: string, total = 1): Progress {
  if (!process.stderr.isTTY || process.env.CI) return { update() {}, stop() {} };
  const started = Date.now();
  let bar: cliProgress.SingleBar | null = null;
  let lastTotal = total;
  return {
    update(done, tot, label) {
      if (tot !== undefined) lastTotal = tot;
      if (!bar) {
        if (Date.now() - started < 1000) return;
        bar = new cliProgress.SingleBar(
          { format: `${title} [{bar}] {percentage}% | {value}/{total} {label} | ETA {eta_formatted}`, stream: process.stderr, hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(lastTotal, done, { label: label ?? '' });
      }
      bar.setTotal(lastTotal);
      bar.update(done, { label: label ?? '' });
    },
    stop() {
      bar?.stop();
    },
  };
}
