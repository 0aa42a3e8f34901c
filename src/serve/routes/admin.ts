/** Users and API keys, the access log, and the retraining schedule (admin); the schedule's status is readable by all. */
import { z } from 'zod';
import { ROLES } from '../auth/roles.js';
import { MIN_PASSWORD } from '../auth/users.js';
import type { ServeContext } from '../context.js';
import { HttpError } from '../http-error.js';
import { param, route, type Route } from '../route-table.js';
import { forecastBody } from './analysis.js';
import { checkModel, checkUnits } from '../services/spec.js';

export function adminRoutes(ctx: ServeContext, onKeysChanged: () => void): Route[] {
  return [
    route({
      method: 'get', path: '/api/users', tag: 'admin', summary: 'List users', access: 'admin',
      ok: { status: 200, description: 'users with their roles and key ids (never hashes)' },
      handler: (c) => c.json({ users: ctx.users.list() }),
    }),
    route({
      method: 'post', path: '/api/users', tag: 'admin', summary: 'Create a user', access: 'admin',
      body: z.object({ name: z.string().min(1).max(64), password: z.string().min(MIN_PASSWORD).max(1024), role: z.enum(ROLES) }).strict(),
      ok: { status: 201, description: 'the user' },
      handler: async (c, { body }) => c.json(await ctx.users.create(body.name, body.password, body.role), 201),
    }),
    route({
      method: 'delete', path: '/api/users/:name', tag: 'admin', summary: 'Remove a user', access: 'admin',
      ok: { status: 204, description: 'removed; the user\'s sessions and keys stop working' },
      handler: (c, { user }) => {
        const name = param(c, 'name');
        if (name === user!.name) throw new HttpError(409, 'you cannot remove yourself', 'sign in as another admin');
        ctx.users.remove(name);
        ctx.sessions.destroyUser(name);
        onKeysChanged();
        return c.body(null, 204);
      },
    }),
    route({
      method: 'post', path: '/api/users/:name/keys', tag: 'admin', summary: 'Create an API key', access: 'admin',
      body: z.object({ label: z.string().min(1).max(100) }).strict(),
      ok: { status: 201, description: 'the key, shown this once (only its hash is stored)' },
      handler: async (c, { body }) => c.json(await ctx.users.createKey(param(c, 'name'), body.label), 201),
    }),
    route({
      method: 'delete', path: '/api/users/:name/keys/:id', tag: 'admin', summary: 'Revoke an API key', access: 'admin',
      ok: { status: 204, description: 'revoked' },
      handler: (c) => {
        ctx.users.revokeKey(param(c, 'name'), param(c, 'id'));
        onKeysChanged();
        return c.body(null, 204);
      },
    }),
    route({
      method: 'get', path: '/api/access-log', tag: 'admin', summary: 'Incident-level access log', access: 'admin',
      query: z.object({ limit: z.coerce.number().int().min(1).max(10_000).default(200) }).strict(),
      ok: { status: 200, description: 'latest entries, newest first: who read incident data, when, which dataset, how many records' },
      handler: (c, { query }) => c.json({ entries: ctx.access.tail(query.limit) }),
    }),
    route({
      method: 'get', path: '/api/schedule', tag: 'schedule', summary: 'Retraining schedule and recent runs', access: 'viewer',
      ok: { status: 200, description: 'schedule, next run, recent runs (published / failed with message / skipped)' },
      handler: (c) => c.json(ctx.retrainer.status()),
    }),
    route({
      method: 'put', path: '/api/schedule', tag: 'schedule', summary: 'Set the retraining schedule', access: 'admin',
      body: z.object({
        intervalMinutes: z.number().positive().max(60 * 24 * 31).nullable().describe('null turns retraining off'),
        forecast: forecastBody.optional(),
      }).strict(),
      ok: { status: 200, description: 'the schedule status' },
      handler: (c, { body }) => {
        if (body.intervalMinutes === null) ctx.retrainer.configure(null);
        else {
          if (!body.forecast) throw new HttpError(400, 'a schedule needs "forecast": {dataset, model, units, period, horizon, coverage}');
          checkModel(body.forecast.model);
          checkUnits(body.forecast.units);
          ctx.retrainer.configure({ request: body.forecast, intervalMs: body.intervalMinutes * 60_000 });
        }
        return c.json(ctx.retrainer.status());
      },
    }),
    route({
      method: 'post', path: '/api/schedule/run', tag: 'schedule', summary: 'Retrain now', access: 'admin',
      ok: { status: 200, description: 'the run: published (with the publication id), failed (with the message; the previous forecast stays) or skipped (no new data)' },
      handler: async (c) => c.json(await ctx.retrainer.runNow()),
    }),
  ];
}
