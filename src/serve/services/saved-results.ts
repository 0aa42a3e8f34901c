/**
 * What the dashboard shows, kept across restarts: finished backtests, the latest publication per model and dataset,
 * the latest audit and allocation. Each is one owner-only gzipped JSON file (NAME.json.gz; plain NAME.json from
 * earlier versions is still read) under <state folder>/results/<store file name>/, so two stores in one folder keep
 * apart. All are area-level aggregates (per-region, per-period totals and metrics), never incident records. Typed
 * arrays are stored as base64 of their bytes: exact, and about half a number list.
 *
 * A publication is saved without its GeoJSON, which is rebuilt on load from its per-region forecast and unit set
 * (the GeoJSON was 5.4 of the demo forecast's 9.4 MB), and with the last HISTORY_PERIODS periods of observed counts
 * that it keeps for the series chart: the demo's forecast is about 0.2 MB.
 */
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { unitsFromSpec } from '../../space/build-units.js';
import { publicationGeoJSON } from './forecast-run.js';
import { boardKey, type Publication } from './forecasts.js';
import type { Job } from './jobs.js';

type Typed = Float64Array | Float32Array | Int32Array | Uint8Array;
const TYPED = { f64: Float64Array, f32: Float32Array, i32: Int32Array, u8: Uint8Array } as const;
type TypedTag = keyof typeof TYPED;

function tagOf(v: unknown): TypedTag | null {
  return v instanceof Float64Array ? 'f64' : v instanceof Float32Array ? 'f32' : v instanceof Int32Array ? 'i32' : v instanceof Uint8Array ? 'u8' : null;
}

/** JSON with typed arrays as {$typed, b64}. */
export function encodeResult(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    const tag = tagOf(v);
    if (!tag) return v;
    const a = v as Typed;
    return { $typed: tag, b64: Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64') };
  });
}

export function decodeResult<T>(text: string): T {
  return JSON.parse(text, (_k, v: unknown) => {
    if (v && typeof v === 'object' && '$typed' in v && 'b64' in v) {
      const tag = (v as { $typed: string }).$typed;
      if (!(tag in TYPED)) throw new Error(`unknown typed array "${tag}"`);
      // a fresh buffer at offset 0: Float64Array needs 8-byte alignment
      const bytes = new Uint8Array(Buffer.from((v as { b64: string }).b64, 'base64'));
      return new TYPED[tag as TypedTag](bytes.buffer);
    }
    return v;
  }) as T;
}

/**
 * A publication as stored: its unit set by spec (rebuilt on load, as the forecast worker's answer is); no GeoJSON,
 * region ids or expected counts, which the product holds or rebuilds.
 */
type StoredPublication = Omit<Publication, 'units' | 'geojson' | 'regionIds' | 'expected'> & { unitsSpec: Record<string, unknown> };

const GZ = '.json.gz';

/** Where `crimecast serve --store STORE` keeps its state (users, access log, results) unless given --state-dir. */
export function stateDirFor(storePath: string): string {
  return join(storePath === ':memory:' ? '.crimecast' : dirname(storePath), 'serve');
}

export class SavedResults {
  readonly dir: string;

  constructor(stateDir: string, storePath: string, private readonly log: (line: string) => void, private readonly keepBacktests = 100) {
    this.dir = join(stateDir, 'results', basename(storePath));
  }

  saveBacktest(job: Job): void {
    this.write(join('backtests', job.id), job, `backtest ${job.id}`);
    this.pruneBacktests();
  }

  /** The file a publication is saved in: one per model and dataset (names from users: hashed, never a path). */
  publicationFile(p: Pick<Publication, 'request'>): string {
    return join(this.dir, publicationKey(p) + GZ);
  }

  savePublication(p: Publication): void {
    const { units, geojson: _g, regionIds: _r, expected: _e, ...rest } = p;
    const stored: StoredPublication = { ...rest, unitsSpec: units.spec };
    this.write(publicationKey(p), stored, `forecast ${p.id}`);
  }

  saveLatest(kind: 'audit' | 'allocation', value: unknown): void {
    this.write(`latest-${kind}`, value, `the latest ${kind}`);
  }

  /** The highest backtest number saved (0 when none): a CLI run numbers its backtest after it. */
  lastBacktestSeq(): number {
    const folder = join(this.dir, 'backtests');
    return existsSync(folder) ? Math.max(0, ...readdirSync(folder).map(jobSeq)) : 0;
  }

  /** The highest publication id saved (0 when none). */
  lastPublicationId(): number {
    return Math.max(0, ...this.readAll<{ id: number }>('forecasts').map((p) => (Number.isInteger(p.id) ? p.id : 0)));
  }

  /** Finished backtests, oldest first. */
  loadBacktests(): Job[] {
    return this.readAll<Job>('backtests').filter((j) => j.status === 'done' || j.status === 'failed').sort((a, b) => jobSeq(a.id) - jobSeq(b.id));
  }

  /** Latest publication per model and dataset, oldest first. */
  loadPublications(): Publication[] {
    const out: Publication[] = [];
    for (const s of this.readAll<StoredPublication>('forecasts')) {
      const { unitsSpec, ...rest } = s;
      if (!rest.product) {
        this.log(`saved forecast ${s.id} (${s.request?.model} on ${s.request?.dataset}) left out: it was saved by an earlier version without its per-region forecast; publish it again`);
        continue;
      }
      try {
        const units = unitsFromSpec(unitsSpec);
        out.push({ ...rest, units, regionIds: rest.product.regionIds, expected: rest.product.expected, geojson: publicationGeoJSON(rest.product, units, rest.request) });
      } catch (e) {
        this.log(`saved forecast ${s.id} left out: its units or map could not be rebuilt (${(e as Error).message})`);
      }
    }
    return out.sort((a, b) => a.id - b.id);
  }

  loadLatest(kind: 'audit' | 'allocation'): unknown {
    const file = [GZ, '.json'].map((ext) => join(this.dir, `latest-${kind}${ext}`)).find((f) => existsSync(f));
    return file ? this.read(file) : undefined;
  }

  /** Writes REL.json.gz (and removes a plain REL.json an earlier version wrote, which would otherwise be read too). */
  private write(rel: string, value: unknown, what: string): void {
    const file = join(this.dir, rel + GZ);
    try {
      mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
      const tmp = `${file}.tmp`;
      writeFileSync(tmp, gzipSync(encodeResult(value)), { mode: 0o600 });
      renameSync(tmp, file);
      chmodSync(file, 0o600);
      rmSync(join(this.dir, `${rel}.json`), { force: true });
    } catch (e) {
      // the result is still served until the server stops; a full or read-only disk must not fail the work itself
      this.log(`could not save ${what} to ${file} (${(e as Error).message}): it will be gone after a restart`);
    }
  }

  private read<T>(file: string): T | undefined {
    try {
      const bytes = readFileSync(file);
      return decodeResult<T>((file.endsWith(GZ) ? gunzipSync(bytes) : bytes).toString('utf8'));
    } catch (e) {
      this.log(`saved result ${file} left out: it could not be read (${(e as Error).message}); delete it to silence this line`);
      return undefined;
    }
  }

  private readAll<T>(sub: string): T[] {
    const folder = join(this.dir, sub);
    if (!existsSync(folder)) return [];
    return readdirSync(folder).filter((f) => f.endsWith('.json') || f.endsWith(GZ)).map((f) => this.read<T>(join(folder, f))).filter((x): x is Awaited<T> => x !== undefined) as T[];
  }

  private pruneBacktests(): void {
    const folder = join(this.dir, 'backtests');
    if (!existsSync(folder)) return;
    const files = readdirSync(folder).filter((f) => f.endsWith('.json') || f.endsWith(GZ)).sort((a, b) => jobSeq(a) - jobSeq(b));
    for (const f of files.slice(0, Math.max(0, files.length - this.keepBacktests))) rmSync(join(folder, f), { force: true });
  }
}

function publicationKey(p: Pick<Publication, 'request'>): string {
  return join('forecasts', createHash('sha256').update(boardKey(p.request)).digest('hex').slice(0, 24));
}

/** The number in "backtest-12" (or "backtest-12.json", "backtest-12.json.gz"). */
export function jobSeq(id: string): number {
  const m = /-(\d+)(\.json(\.gz)?)?$/.exec(id);
  return m ? Number(m[1]) : 0;
}
