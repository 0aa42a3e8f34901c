/**
 * Scheduled retraining: every `intervalMs` the configured model is refitted on the dataset as it is now and the new
 * forecast published. A run is skipped when no incident was added since the last successful one. A failed run is
 * recorded (time, message) and the previous forecast stays served.
 */
import { HttpError } from '../http-error.js';
import type { Clock } from './clock.js';
import type { Datasets } from './datasets.js';
import { ForecastBoard, makeForecast, type ForecastRequest, type ForecastRunOptions } from './forecasts.js';

export interface RetrainSchedule { request: ForecastRequest; intervalMs: number }

export interface RetrainRun {
  at: string;
  outcome: 'published' | 'failed' | 'skipped';
  seconds: number;
  publication?: number;
  error?: string;
}

export class Retrainer {
  private schedule: RetrainSchedule | null = null;
  private timer: unknown = null;
  private nextAt: number | null = null;
  private running: Promise<RetrainRun> | null = null;
  private lastPublishedVersion = -1;
  readonly runs: RetrainRun[] = [];

  constructor(private readonly datasets: Datasets, private readonly board: ForecastBoard, private readonly clock: Clock, private readonly log: (line: string) => void = () => {},
    private readonly forecastRun: ForecastRunOptions = { threads: false, limits: { maxCells: Infinity, maxTensorValues: Infinity } }) {}

  configure(s: RetrainSchedule | null): void {
    if (s && !(s.intervalMs >= 1000)) throw new HttpError(400, `retrain interval ${s.intervalMs} ms is too short`, 'use at least 1 s (e.g. "intervalMinutes": 60)');
    this.stop();
    this.schedule = s;
    this.lastPublishedVersion = -1;
    if (s) this.arm();
  }

  status() {
    return {
      schedule: this.schedule,
      nextRunAt: this.nextAt === null ? null : new Date(this.nextAt).toISOString(),
      running: this.running !== null,
      runs: this.runs.slice(-20).reverse(),
      lastFailure: [...this.runs].reverse().find((r) => r.outcome === 'failed') ?? null,
    };
  }

  /** Run now (also what the timer does). Concurrent calls share the run in progress. */
  runNow(): Promise<RetrainRun> {
    if (!this.schedule) return Promise.reject(new HttpError(409, 'no retraining schedule is configured', 'PUT /api/schedule first'));
    this.running ??= this.run(this.schedule).finally(() => { this.running = null; });
    return this.running;
  }

  /** Resolves when no run is in progress. */
  async settled(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  stop(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.nextAt = null;
  }

  private arm(): void {
    const s = this.schedule!;
    this.nextAt = this.clock.now() + s.intervalMs;
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      void this.runNow().catch(() => undefined).finally(() => { if (this.schedule === s) this.arm(); });
    }, s.intervalMs);
  }

  private async run(s: RetrainSchedule): Promise<RetrainRun> {
    const t0 = this.clock.now(), at = new Date(t0).toISOString();
    const version = this.datasets.version(s.request.dataset);
    let run: RetrainRun;
    if (version === this.lastPublishedVersion) run = { at, outcome: 'skipped', seconds: 0 };
    else {
      try {
        const pub = this.board.publish(await makeForecast(this.datasets, s.request, 'schedule', this.forecastRun));
        this.lastPublishedVersion = version;
        run = { at, outcome: 'published', seconds: (this.clock.now() - t0) / 1000, publication: pub.id };
      } catch (e) {
        // the message only: library errors name parameters and shapes, never incident records
        run = { at, outcome: 'failed', seconds: (this.clock.now() - t0) / 1000, error: (e as Error).message };
        this.log(`retrain of ${s.request.model} on ${s.request.dataset} failed: ${run.error}; the previous forecast stays served`);
      }
    }
    this.runs.push(run);
    if (this.runs.length > 200) this.runs.splice(0, this.runs.length - 200);
    return run;
  }
}
