/**
 * Endpoints are declared once, as data (method, path, access, zod schemas, handler), and both mounted on the Hono app
 * and described in the OpenAPI document from the same declaration, so the document cannot drift from the code.
 */
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { UserRecord } from './auth/users.js';
import { roleAtLeast, type Role } from './auth/roles.js';
import { HttpError } from './http-error.js';

export type AppEnv = { Variables: { user: UserRecord | null; via: 'session' | 'key' | null } };
export type Ctx = Context<AppEnv>;

export interface Route<Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType> {
  method: 'get' | 'post' | 'put' | 'delete';
  /** Hono path, e.g. /api/datasets/:name/incidents. */
  path: string;
  tag: string;
  summary: string;
  /** Least role that may call it ('public' = no login). */
  access: 'public' | Role;
  /** Returns incident-level data (each call is written to the access log). */
  incidentLevel?: boolean;
  query?: Q;
  body?: B;
  /** The body is multipart/form-data (file upload) rather than JSON; parsed by the handler. */
  multipart?: Record<string, string>;
  /** Success status and a short description of what comes back. */
  ok: { status: number; description: string };
  handler: (c: Ctx, input: { query: z.infer<Q>; body: z.infer<B>; user: UserRecord | null }) => Response | Promise<Response>;
}

/** Identity helper so each route's schemas type its handler. */
export function route<Q extends z.ZodType = z.ZodObject<{}>, B extends z.ZodType = z.ZodUndefined>(r: Route<Q, B>): Route {
  return r as unknown as Route;
}

export function mountRoutes(app: Hono<AppEnv>, routes: Route[]): void {
  for (const r of routes) {
    app.on(r.method.toUpperCase(), r.path, async (c) => {
      const user = c.get('user');
      if (r.access !== 'public') {
        if (!user) throw new HttpError(401, 'not signed in', 'sign in (POST /api/session) or send an API key as "Authorization: Bearer cck_…"');
        if (!roleAtLeast(user.role, r.access)) throw new HttpError(403, `${r.summary.toLowerCase()} needs the ${r.access} role; you are ${user.role}`, 'ask an admin for the role');
      }
      const query = r.query ? parse(r.query, c.req.query(), 'query') : {};
      let body: unknown;
      if (r.body) {
        // the media type itself, not a substring: "text/plain;application/json" is a simple request a cross-site form can send
        if (mediaType(c) !== 'application/json') throw new HttpError(415, 'the body must be JSON', 'send Content-Type: application/json');
        let raw: unknown;
        try { raw = await c.req.json(); } catch { throw new HttpError(400, 'the body is not valid JSON'); }
        body = parse(r.body, raw, 'body');
      }
      if (r.incidentLevel) c.header('Cache-Control', 'no-store');
      return r.handler(c, { query, body, user });
    });
  }
}

/** The request's media type, lower-case, without parameters ("application/json; charset=utf-8" → "application/json"). */
export function mediaType(c: Ctx): string {
  return (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
}

function parse(schema: z.ZodType, value: unknown, where: string): unknown {
  const p = schema.safeParse(value);
  if (p.success) return p.data;
  const issues = p.error.issues.map((i) => `${i.path.length ? i.path.join('.') : where}: ${i.message}`);
  throw new HttpError(400, `bad ${where}: ${issues.join('; ')}`, 'see GET /api/openapi.json for the expected shape');
}

/** OpenAPI 3.1 document of the routes. */
export function openApiDocument(routes: Route[], info: { title: string; version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  const error = { description: 'error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  for (const r of routes) {
    const path = r.path.replace(/:(\w+)/g, '{$1}');
    const params: unknown[] = [...r.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    if (r.query instanceof z.ZodObject) {
      for (const [name, s] of Object.entries(r.query.shape as Record<string, z.ZodType>)) {
        params.push({ name, in: 'query', required: !s.safeParse(undefined).success, schema: z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) });
      }
    }
    const op: Record<string, unknown> = {
      tags: [r.tag], summary: r.summary, operationId: `${r.method}${r.path.replace(/[^A-Za-z0-9]+(\w)?/g, (_, ch: string | undefined) => (ch ?? '').toUpperCase())}`,
      parameters: params,
      'x-access': r.access, 'x-incident-level': !!r.incidentLevel,
      security: r.access === 'public' ? [] : [{ session: [] }, { apiKey: [] }],
      responses: {
        [r.ok.status]: { description: r.ok.description },
        400: error, ...(r.access !== 'public' ? { 401: error, 403: error, 429: error } : {}),
      },
    };
    if (r.body) op.requestBody = { required: true, content: { 'application/json': { schema: z.toJSONSchema(r.body, { io: 'input', unrepresentable: 'any' }) } } };
    if (r.multipart) op.requestBody = { required: true, content: { 'multipart/form-data': { schema: { type: 'object', properties: Object.fromEntries(Object.entries(r.multipart).map(([k, d]) => [k, k === 'file' ? { type: 'string', format: 'binary', description: d } : { type: 'string', description: d }])), required: ['file'] } } } };
    (paths[path] ??= {})[r.method] = op;
  }
  return {
    openapi: '3.1.0',
    info: { ...info, description: 'CrimeCast HTTP API. Roles: viewer (aggregated maps and results), analyst (incident-level data, running models), admin (users and settings). Every incident-level call is written to the access log.' },
    paths,
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'cc_session' },
        apiKey: { type: 'http', scheme: 'bearer', description: 'API key "cck_…" from POST /api/users/{name}/keys' },
      },
      schemas: { Error: { type: 'object', properties: { error: { type: 'string' }, hint: { type: 'string' } }, required: ['error'] } },
    },
  };
}

/** A path parameter (always present on a matched route). */
export function param(c: Ctx, name: string): string {
  const v = c.req.param(name);
  if (v === undefined) throw new HttpError(400, `missing path parameter ${name}`);
  return v;
}
