/**
 * Progress of long commands on stderr (never on stdout, so --json output stays clean), for work still running
 * after ~1 s. On a terminal: a bar. Elsewhere (a pipe, a log file, CI, a cron job): a plain line every 15 s with the
 * share done and an ETA — a 40-minute run with no output at all looks hung and gets killed.
 * CRIMECAST_PROGRESS=off silences both.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  /** Report progress as done/total (total may change). */
  update(done: number, total?: number, label?: string): void;
  stop(): void;
}

const LINE_EVERY_MS = 15_000;

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 90 ? `${s} s` : s < 5400 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`;
}

/** Plain periodic lines for non-terminals. */
function lineProgress(title: string, total: number, write: (line: string) => void, now: () => number): Progress {
  const started = now();
  let lastLine = started, lastTotal = total, printed = false;
  return {
    update(done, tot, label) {
      if (tot !== undefined) lastTotal = tot;
      const t = now();
      if (t - started < 1000 || t - lastLine < LINE_EVERY_MS) return;
      lastLine = t;
      printed = true;
      const share = lastTotal > 0 ? Math.min(1, done / lastTotal) : 0;
      const eta = share > 0 ? ` · about ${duration(((t - started) * (1 - share)) / share)} left` : '';
      write(`${title}: ${(100 * share).toFixed(0)}% (${+done.toFixed(2)}/${lastTotal})${label ? ` ${label}` : ''} · ${duration(t - started)} elapsed${eta}`);
    },
    stop() {
      if (printed) write(`${title}: done in ${duration(now() - started)}`);
    },
  };
}

export function startProgress(title: string, total = 1, opts: { tty?: boolean; write?: (line: string) => void; now?: () => number } = {}): Progress {
  if (process.env.CRIMECAST_PROGRESS === 'off') return { update() {}, stop() {} };
  const tty = opts.tty ?? (!!process.stderr.isTTY && !process.env.CI);
  if (!tty) return lineProgress(title, total, opts.write ?? ((l) => process.stderr.write(l + '\n')), opts.now ?? Date.now);
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
