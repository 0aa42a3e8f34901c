/**
 * The client's address for rate limits. Behind a reverse proxy every request comes from the proxy's address, so a
 * limit per socket address is one limit for everyone; with `trustProxy` the address is the last X-Forwarded-For
 * entry (the one the proxy itself appended; earlier entries are the client's to forge). Off by default: without a
 * proxy that header is the client's to forge too.
 */
import type { Ctx } from '../route-table.js';

export function clientAddress(c: Ctx, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for');
    const last = forwarded?.split(',').pop()?.trim();
    if (last) return last.slice(0, 64);
  }
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'local';
}
