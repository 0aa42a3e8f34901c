/** Datasets: summaries, file upload, real-time incidents, incident points (analysts), spatial units, models. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { TIME_FORMATS } from '../../data/ingest/time-parse.js';
import { listForecasters } from '../../models/registry.js';
import type { ServeContext } from '../context.js';
import { HttpError } from '../http-error.js';
import { mediaType, param, route, type Route } from '../route-table.js';
import { safeIngestText } from '../safe-text.js';
import { uploadWording } from '../upload-wording.js';
import { UserError } from '../../util/errors.js';
import { serveMap } from '../services/map-request.js';
import { datasetName, unitsSpec } from '../services/spec.js';
import { viewerDatasetInfo } from '../services/viewer-policy.js';

const UPLOAD_FIELDS = {
  file: 'incident file: CSV, GeoJSON or Parquet (the extension decides)',
  preset: 'source schema, e.g. chicago (else name the columns)',
  timeCol: 'date-time column', dateCol: 'date column', latCol: 'latitude column', lonCol: 'longitude column',
  xCol: 'projected x column (needs crs)', yCol: 'projected y column (needs crs)', crs: 'CRS of x/y, e.g. EPSG:3435',
  categoryCol: 'offense category column', idCol: 'incident id column(s), comma-separated (default: content hash)',
  tz: 'IANA time zone of local times, e.g. America/Chicago', timeFormat: `one of ${TIME_FORMATS.join(', ')}`, delimiter: 'CSV delimiter (one character)',
};

const opt = z.string().max(200).optional();
const uploadOptions = z.object({
  preset: z.string().max(64).optional(), timeCol: opt, dateCol: opt, latCol: opt, lonCol: opt,
  xCol: opt, yCol: opt, crs: z.string().max(1000).optional(), categoryCol: opt, idCol: opt,
  tz: z.string().max(64).optional(), timeFormat: z.enum(TIME_FORMATS).optional(), delimiter: z.string().length(1).optional(),
}).strict();

const liveIncident = z.object({
  id: z.string().min(1).max(200).optional(),
  time: z.string().min(1).max(64).describe('local date-time in the dataset\'s zone, e.g. 2024-03-01 14:30:00, or an ISO instant'),
  lat: z.number(), lon: z.number(),
  category: z.string().min(1).max(200),
}).strict();

export function dataRoutes(ctx: ServeContext): Route[] {
  return [
    route({
      method: 'get', path: '/api/datasets', tag: 'data', summary: 'List datasets', access: 'viewer',
      ok: { status: 200, description: 'per dataset: incident count, time span, bounding box, counts per category, rejects' },
      handler: async (c, { user }) => {
        const all = await ctx.datasets.list();
        return c.json({ datasets: user!.role === 'viewer' ? all.map(viewerDatasetInfo) : all });
      },
    }),
    route({
      method: 'post', path: '/api/datasets/:name/upload', tag: 'data', summary: 'Upload an incident file', access: 'analyst', incidentLevel: true, multipart: UPLOAD_FIELDS,
      ok: { status: 200, description: 'ingest summary: rows, new incidents, duplicates, rejects by reason' },
      handler: async (c) => {
        const name = parseName(param(c, 'name'));
        if (mediaType(c) !== 'multipart/form-data') throw new HttpError(415, 'upload a file as multipart/form-data', 'e.g. curl -F file=@incidents.csv -F preset=chicago …');
        let form: Record<string, string | File | (string | File)[]>;
        try {
          form = await c.req.parseBody();
        } catch {
          throw new HttpError(400, 'the multipart body is malformed', 'send a well-formed multipart/form-data body (curl -F file=@incidents.csv …)');
        }
        const file = form.file;
        if (!(file instanceof File)) throw new HttpError(400, 'no file in the form', 'send the file in a field named "file"');
        if (file.size > ctx.maxUploadBytes) throw new HttpError(413, `file of ${file.size} bytes is over the ${ctx.maxUploadBytes}-byte limit`, 'ingest large files with `crimecast ingest` on the server');
        const { file: _f, ...fields } = form;
        const opts = uploadOptions.safeParse(Object.fromEntries(Object.entries(fields).filter(([, v]) => typeof v === 'string' && v !== '')));
        if (!opts.success) throw new HttpError(400, `bad upload options: ${opts.error.issues.map((i) => `${i.path.join('.') || 'form'}: ${i.message}`).join('; ')}`, `fields: ${Object.keys(UPLOAD_FIELDS).join(', ')}`);
        const base = uploadFileName(file.name);
        let bytes = new Uint8Array(await file.arrayBuffer());
        // a UTF-8 byte-order mark before GeoJSON is common from Windows tools; JSON parsers may ignore it (RFC 8259 §8.1)
        if (/\.(geo)?json$/i.test(base) && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
        const dir = mkdtempSync(join(tmpdir(), 'crimecast-upload-'));
        try {
          const path = join(dir, base);
          writeFileSync(path, bytes, { mode: 0o600 });
          let summary;
          try {
            summary = await ctx.datasets.ingestFile(name, path, opts.data);
          } catch (e) {
            // ingest errors may quote the file (a header that is really a data row): answer with a redacted copy
            if (e instanceof UserError || e instanceof HttpError) throw new HttpError(e instanceof HttpError ? e.status : 400, safeIngestText(uploadWording(e.message.split(dir).join('').replace(/^[/\\]/, '')))!, safeIngestText(uploadWording(e.hint)));
            throw e;
          }
          ctx.access.write({ user: c.get('user')!.name, role: c.get('user')!.role, action: 'incidents.upload', dataset: name, records: summary.ingested });
          return c.json(summary);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    }),
    route({
      method: 'post', path: '/api/datasets/:name/incidents', tag: 'data', summary: 'Add incidents in real time', access: 'analyst', incidentLevel: true,
      body: z.object({
        tz: z.string().optional().describe('IANA zone of the times; required for a new dataset'),
        incidents: z.array(liveIncident).min(1).max(10_000),
      }).strict(),
      ok: { status: 200, description: 'ingest summary (same validation, rejects and idempotence as a file)' },
      handler: async (c, { body, user }) => {
        const name = parseName(param(c, 'name'));
        const batch = `api-${new Date().toISOString().replace(/[:.]/g, '-')}-${Math.random().toString(36).slice(2, 8)}`;
        const summary = await ctx.datasets.ingestRecords(name, body.incidents, body.tz, batch);
        ctx.access.write({ user: user!.name, role: user!.role, action: 'incidents.post', dataset: name, records: summary.ingested });
        return c.json(summary);
      },
    }),
    route({
      method: 'get', path: '/api/datasets/:name/incidents', tag: 'data', summary: 'Incident points', access: 'analyst', incidentLevel: true,
      query: z.object({
        from: z.string().optional().describe('first local date YYYY-MM-DD or ISO instant'),
        to: z.string().optional().describe('last local date (inclusive) or ISO instant (exclusive)'),
        limit: z.coerce.number().int().min(1).max(100_000).default(5000).describe('most recent N incidents'),
      }).strict(),
      ok: { status: 200, description: 'GeoJSON points (id, time, category); access-logged' },
      handler: async (c, { query, user }) => {
        const name = parseName(param(c, 'name'));
        const t = await ctx.datasets.incidents(name, { from: query.from, to: query.to });
        const first = Math.max(0, t.n - query.limit);
        const features = [];
        for (let i = first; i < t.n; i++) {
          features.push({ type: 'Feature', id: t.id[i], geometry: { type: 'Point', coordinates: [t.lon[i], t.lat[i]] }, properties: { time: new Date(t.t[i]).toISOString(), category: t.categories[t.cat[i]] } });
        }
        ctx.access.write({ user: user!.name, role: user!.role, action: 'incidents.read', dataset: name, records: features.length, query: { from: query.from, to: query.to, limit: query.limit } });
        return c.json({ type: 'FeatureCollection', features, crimecast: { dataset: name, total: t.n, returned: features.length, truncated: first > 0 } });
      },
    }),
    route({
      method: 'get', path: '/api/units', tag: 'data', summary: 'Spatial units over a dataset', access: 'viewer',
      query: z.object({ dataset: datasetName, units: unitsSpec }).strict(),
      ok: { status: 200, description: 'GeoJSON polygons, one per region (id, area_m2); for viewers at least the configured cell size, H3 cells holding few incidents withheld (crimecast.disclosure); access-logged' },
      handler: async (c, { query, user }) => {
        const bytes = await serveMap(ctx, user!, query, 'units');
        return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { 'content-type': 'application/json' });
      },
    }),
    route({
      method: 'get', path: '/api/models', tag: 'models', summary: 'Registered models', access: 'viewer',
      ok: { status: 200, description: 'name, family, description and default parameters of every forecaster' },
      handler: (c) => c.json({
        models: listForecasters().map((f) => ({
          name: f.name, family: f.family, description: f.description,
          params: Object.fromEntries(Object.entries(f.params.shape).map(([k, s]) => {
            const d = (s as z.ZodType).safeParse(undefined);
            return [k, d.success ? d.data ?? null : null];
          })),
        })),
      }),
    }),
  ];
}

/**
 * The name the store records for an upload (a re-upload of the same file stays idempotent): the client's last path
 * segment with anything but letters, digits, "_", "-" and "." replaced, no leading dots (".", ".." and dot-files
 * would name the folder or hide the file), at most 120 characters, "upload" when nothing is left.
 */
export function uploadFileName(clientName: string): string {
  const last = (clientName || '').split(/[\\/]/).pop() ?? '';
  const clean = last.replace(/[^\w.-]+/g, '_').replace(/^\.+/, '').slice(-120);
  return clean === '' || /^[._-]*$/.test(clean) ? 'upload' : clean;
}

function parseName(name: string): string {
  const p = datasetName.safeParse(name);
  if (!p.success) throw new HttpError(400, `dataset name "${name}" is not allowed`, 'use letters, digits, ".", "_" or "-" (at most 64)');
  return p.data;
}
