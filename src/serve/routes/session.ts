/** Sign in and out (browser sessions), who am I, health. */
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { SESSION_COOKIE } from '../auth/sessions.js';
import type { ServeContext } from '../context.js';
import { HttpError } from '../http-error.js';
import { route, type Ctx, type Route } from '../route-table.js';

/** Failed sign-ins are limited per account and client address (auth/login-guard.ts). */
export interface SignInLimit {
  wait(c: Ctx, user: string): number;
  failed(c: Ctx, user: string): void;
}

export function sessionRoutes(ctx: ServeContext, limit: SignInLimit): Route[] {
  return [
    route({
      method: 'get', path: '/api/health', tag: 'session', summary: 'Health check', access: 'public',
      ok: { status: 200, description: '{"ok": true}' },
      handler: (c) => c.json({ ok: true }),
    }),
    route({
      method: 'get', path: '/api/config', tag: 'session', summary: 'Dashboard settings', access: 'public',
      ok: { status: 200, description: '{"tiles": base-map URL template or null}' },
      handler: (c) => c.json({ tiles: ctx.tiles }),
    }),
    route({
      method: 'post', path: '/api/session', tag: 'session', summary: 'Sign in', access: 'public',
      body: z.object({ user: z.string().min(1).max(64), password: z.string().min(1).max(1024) }),
      ok: { status: 200, description: 'the user; sets the session cookie' },
      handler: async (c, { body }) => {
        const wait = limit.wait(c, body.user);
        if (wait > 0) {
          c.header('Retry-After', String(wait));
          throw new HttpError(429, 'too many failed sign-ins for this account from this address', `retry after ${wait} s`);
        }
        const u = await ctx.users.checkPassword(body.user, body.password);
        if (!u) {
          limit.failed(c, body.user);
          throw new HttpError(401, 'wrong user name or password');
        }
        setCookie(c, SESSION_COOKIE, ctx.sessions.create(u.name), { httpOnly: true, sameSite: 'Strict', path: '/', secure: ctx.secureCookies });
        return c.json({ name: u.name, role: u.role });
      },
    }),
    route({
      method: 'delete', path: '/api/session', tag: 'session', summary: 'Sign out', access: 'public',
      ok: { status: 204, description: 'the session is ended' },
      handler: (c) => {
        const id = getCookie(c, SESSION_COOKIE);
        if (id) ctx.sessions.destroy(id);
        deleteCookie(c, SESSION_COOKIE, { path: '/' });
        return c.body(null, 204);
      },
    }),
    route({
      method: 'get', path: '/api/me', tag: 'session', summary: 'The signed-in user', access: 'viewer',
      ok: { status: 200, description: '{name, role}' },
      handler: (c, { user }) => c.json({ name: user!.name, role: user!.role, via: c.get('via') }),
    }),
  ];
}
