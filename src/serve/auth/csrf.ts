/**
 * Cross-site request forgery: a page on another site can make the browser send a state-changing request with the
 * session cookie (SameSite=Strict alone does not cover same-site subdomains or older browsers), and "text/plain"
 * bodies need no CORS preflight. So a POST/PUT/PATCH/DELETE that is not authenticated by an API key header (which a
 * cross-site page cannot set) must come from this origin: Sec-Fetch-Site "same-origin" (or "none", typed by the
 * user), and an Origin, when sent, equal to the server's own or an allowed one. Clients that send neither header
 * (curl, scripts) are not browsers and are not refused.
 */
import type { Ctx } from '../route-table.js';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Why the request is refused as cross-site, or null when it may proceed. */
export function crossSiteRefusal(c: Ctx, o: { allowedOrigins: string[]; trustProxy: boolean }): string | null {
  if (SAFE.has(c.req.method)) return null;
  const origin = c.req.header('origin');
  // an origin the admin allowed (e.g. the dashboard on a sibling host) may be same-site or cross-site
  if (origin !== undefined && o.allowedOrigins.includes(origin)) return null;
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `Sec-Fetch-Site is "${site.slice(0, 20)}"`;
  if (origin === undefined) return null;
  if (origin === 'null') return 'Origin is "null"';
  let host: string;
  try { host = new URL(origin).host; } catch { return 'Origin is not a URL'; }
  const own = (o.trustProxy ? c.req.header('x-forwarded-host')?.split(',').pop()?.trim() : undefined) ?? c.req.header('host') ?? new URL(c.req.url).host;
  return host === own ? null : `Origin ${origin.slice(0, 100)} is not this server`;
}
