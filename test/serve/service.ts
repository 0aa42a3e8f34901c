/** A service on a temporary store with one user per role, called in-process through Hono's app.request. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createService, type ServeOptions, type Service } from '../../src/serve/server.js';

export const PASSWORD = 'correct horse battery';

export interface TestService {
  service: Service;
  dir: string;
  keys: Record<'admin' | 'analyst' | 'viewer', string>;
  /** A request as a role (API key), anonymous (null), or with explicit headers. */
  call(as: keyof TestService['keys'] | null, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export async function startTestService(o: Partial<ServeOptions> = {}): Promise<TestService> {
  const dir = mkdtempSync(join(tmpdir(), 'cc-serve-'));
  const logs: string[] = [];
  const service = await createService({ store: join(dir, 'store.duckdb'), webDir: null, threads: false, rateLimit: null, log: (l) => logs.push(l), ...o });
  const keys = {} as TestService['keys'];
  for (const role of ['admin', 'analyst', 'viewer'] as const) {
    await service.ctx.users.create(role === 'admin' ? 'root' : role === 'analyst' ? 'ana' : 'vic', PASSWORD, role);
    keys[role] = (await service.ctx.users.createKey(role === 'admin' ? 'root' : role === 'analyst' ? 'ana' : 'vic', 'test')).key;
  }
  return {
    service, dir, keys,
    call(as, method, path, body, headers = {}) {
      const h: Record<string, string> = { ...headers };
      if (as) h.authorization = `Bearer ${keys[as]}`;
      let payload: BodyInit | undefined;
      if (body instanceof FormData) payload = body;
      else if (body !== undefined) { payload = JSON.stringify(body); h['content-type'] ??= 'application/json'; }
      return Promise.resolve(service.app.request(path, { method, headers: h, body: payload }));
    },
    async close() {
      await service.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The multipart form the dashboard sends for a CSV with id,time,lat,lon,category columns. */
export function uploadForm(csv: string, name = 'synthetic.csv', extra: Record<string, string> = {}): FormData {
  const fd = new FormData();
  fd.append('file', new File([csv], name, { type: 'text/csv' }));
  const fields = { timeCol: 'time', latCol: 'lat', lonCol: 'lon', categoryCol: 'category', idCol: 'id', tz: 'America/Chicago', ...extra };
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  return fd;
}
