/**
 * The HTTP app: identifies the caller (API key or session cookie), rate-limits, mounts the declared routes, serves the
 * OpenAPI document and the bundled dashboard. Errors become JSON {error, hint}; a 500 logs only the error message.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, normalize, extname } from 'node:path';
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { bodyLimit } from 'hono/body-limit';
import { ZodError } from 'zod';
import { SESSION_COOKIE } from './auth/sessions.js';
import type { UserRecord } from './auth/users.js';
import { RateLimiter, type RateLimit } from './auth/rate-limit.js';
import { clientAddress } from './auth/client-address.js';
import { crossSiteRefusal } from './auth/csrf.js';
import { LoginGuard } from './auth/login-guard.js';
import type { ServeContext } from './context.js';
import { HttpError } from './http-error.js';
import { mediaType, mountRoutes, openApiDocument, type AppEnv, type Ctx } from './route-table.js';
import { adminRoutes } from './routes/admin.js';
import { analysisRoutes } from './routes/analysis.js';
import { dataRoutes } from './routes/data.js';
import { sessionRoutes } from './routes/session.js';
import { UserError } from '../util/errors.js';

export interface AppOptions {
  /** Folder of the bundled dashboard (index.html + assets); null serves the API only. */
  webDir: string | null;
  /** Per signed-in user (or per address when anonymous); null disables. */
  rateLimit: RateLimit | null;
  /** Failed sign-ins per account and address (five times that per address). */
  loginLimit: RateLimit;
  /** Unknown API keys per address. */
  badKeyLimit: RateLimit;
  /** Client addresses from X-Forwarded-For (behind a reverse proxy only). */
  trustProxy: boolean;
  /** Other origins allowed to send state-changing requests with a session cookie. */
  allowedOrigins: string[];
}

/** JSON bodies: 10,000 live incidents are ~2 MB, an audit's group populations for 50,000 regions × 10 groups ~10 MB. */
const MAX_JSON_BYTES = 16 * 1024 * 1024;

const MIME: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.png': 'image/png', '.svg': 'image/svg+xml', '.map': 'application/json', '.json': 'application/json' };

export function createApp(ctx: ServeContext, o: AppOptions): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const limiter = o.rateLimit ? new RateLimiter(o.rateLimit) : null;
  const guard = new LoginGuard(o.loginLimit, o.badKeyLimit);
  const address = (c: Ctx) => clientAddress(c, o.trustProxy);
  // verifying a key costs one scrypt; remember verified keys by their SHA-256 (never the key) until keys change
  let keyCache = new Map<string, string>();

  app.onError((err, c) => {
    if (err instanceof HttpError) return c.json({ error: err.message, ...(err.hint ? { hint: err.hint } : {}) }, err.status);
    if (err instanceof UserError) return c.json({ error: err.message, ...(err.hint ? { hint: err.hint } : {}) }, 400);
    if (err instanceof ZodError) return c.json({ error: err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') }, 400);
    if (err instanceof URIError) return c.json({ error: 'the URL has a malformed percent-encoding', hint: 'encode characters as %XX with valid UTF-8' }, 400);
    ctx.log(`error on ${c.req.method} ${c.req.path}: ${err.message}`);
    return c.json({ error: 'internal error (logged on the server)' }, 500);
  });
  app.notFound((c) => c.json({ error: `no such endpoint: ${c.req.method} ${c.req.path}`, hint: 'GET /api/openapi.json lists the endpoints' }, 404));

  // a configured base map is the one outside origin the dashboard may load images from
  const tileOrigin = ctx.tiles ? new URL(ctx.tiles.replace(/\{[a-z]\}/g, 'a')).origin : '';
  // set before the handler runs: headers added to a finished response make Hono rebuild it as a stream (half the throughput)
  app.use('*', async (c, next) => {
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Frame-Options', 'DENY');
    // the dashboard is fully bundled: nothing may load from elsewhere
    c.header('Content-Security-Policy', `default-src 'self'; img-src 'self' data: blob:${tileOrigin ? ' ' + tileOrigin : ''}; style-src 'self' 'unsafe-inline'; connect-src 'self'; object-src 'none'; frame-ancestors 'none'`);
    // API answers are per user (incident points, access log, keys): no shared or browser cache may keep them
    if (c.req.path.startsWith('/api/')) c.header('Cache-Control', 'no-store');
    await next();
  });

  const limitUpload = bodyLimit({ maxSize: ctx.maxUploadBytes + 64 * 1024, onError: (c) => c.json({ error: `request body over ${ctx.maxUploadBytes} bytes` }, 413) });
  // anything but a file upload is parsed whole on the event loop (JSON.parse): a smaller bound
  const limitOther = bodyLimit({ maxSize: MAX_JSON_BYTES, onError: (c) => c.json({ error: `request body over ${MAX_JSON_BYTES} bytes`, hint: 'only file uploads (multipart/form-data) may be larger' }, 413) });
  // only for methods with bodies: reading req.body on a GET builds a full WHATWG Request on the hot read path
  app.use('/api/*', (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : mediaType(c) === 'multipart/form-data' ? limitUpload(c, next) : limitOther(c, next)));

  app.use('/api/*', async (c, next) => {
    let user: UserRecord | null = null, via: 'session' | 'key' | null = null;
    const auth = c.req.header('authorization');
    const key = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : c.req.header('x-api-key');
    if (key) {
      const digest = createHash('sha256').update(key).digest('base64');
      const cached = keyCache.get(digest);
      if (cached) user = ctx.users.get(cached) ?? null;
      else {
        // each unknown key costs a scrypt hash: limit how many one address may try
        const wait = guard.keyWait(address(c));
        if (wait > 0) throw tooMany(c, wait, 'too many invalid API keys from this address');
        user = await ctx.users.checkKey(key);
        if (!user) guard.keyFailed(address(c));
      }
      if (!user) throw new HttpError(401, 'invalid API key', 'ask an admin for a new key (POST /api/users/{name}/keys)');
      keyCache.set(digest, user.name);
      via = 'key';
    } else {
      const refused = crossSiteRefusal(c, o);
      if (refused) throw new HttpError(403, `cross-site request refused (${refused})`, 'state-changing requests with a session cookie must come from the dashboard\'s own origin (behind a proxy that rewrites Host, start the server with --trust-proxy or --allowed-origin); scripts use an API key');
      const sid = getCookie(c, SESSION_COOKIE);
      const name = sid ? ctx.sessions.user(sid) : null;
      user = name ? ctx.users.get(name) ?? null : null;
      if (user) via = 'session';
    }
    c.set('user', user);
    c.set('via', via);
    const wait = limiter?.take(user ? `user:${user.name}` : `addr:${address(c)}`) ?? 0;
    if (wait > 0) throw tooMany(c, wait, 'too many requests');
    await next();
  });

  const routes = [
    ...sessionRoutes(ctx, { wait: (c, u) => guard.signInWait(u, address(c)), failed: (c, u) => guard.signInFailed(u, address(c)) }), ...dataRoutes(ctx), ...analysisRoutes(ctx),
    ...adminRoutes(ctx, () => { keyCache = new Map(); }),
  ];
  const doc = JSON.stringify(openApiDocument(routes, { title: 'CrimeCast', version: '0.1.0' }));
  app.get('/api/openapi.json', (c) => c.body(doc, 200, { 'content-type': 'application/json' }));
  mountRoutes(app, routes);

  if (o.webDir) {
    const root = o.webDir;
    const index = join(root, 'index.html');
    app.get('*', (c) => {
      if (c.req.path.startsWith('/api/')) return c.notFound();
      let decoded: string;
      try { decoded = decodeURIComponent(c.req.path); } catch { return c.notFound(); }
      if (decoded.includes('\0')) return c.notFound();
      const rel = normalize(decoded).replace(/^([/\\])+/, '');
      if (rel.split(/[/\\]/).includes('..')) return c.notFound();
      const file = rel && existsSync(join(root, rel)) && extname(rel) ? join(root, rel) : index;
      if (!existsSync(file)) return c.text('the dashboard is not built: run `npm run build`', 503);
      return c.body(readFileSync(file), 200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'cache-control': file === index ? 'no-cache' : 'max-age=3600' });
    });
  }
  return app;
}

function tooMany(c: Ctx, wait: number, message: string): HttpError {
  c.header('Retry-After', String(wait));
  return new HttpError(429, message, `retry after ${wait} s`);
}
