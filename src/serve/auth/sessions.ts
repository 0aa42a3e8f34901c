/** Browser sessions: a random id in an HttpOnly, SameSite=Strict cookie, mapped in memory to a user; idle sessions expire. */
import { randomToken } from './passwords.js';

export const SESSION_COOKIE = 'cc_session';

interface Session { user: string; expires: number }

export class Sessions {
  private map = new Map<string, Session>();
  constructor(private readonly ttlMs = 8 * 3600_000, private readonly now: () => number = Date.now) {}

  create(user: string): string {
    if (this.map.size > 10_000) for (const [k, s] of this.map) if (s.expires < this.now()) this.map.delete(k);
    const id = randomToken();
    this.map.set(id, { user, expires: this.now() + this.ttlMs });
    return id;
  }

  /** The session's user (and a renewed expiry), or null when unknown or expired. */
  user(id: string): string | null {
    const s = this.map.get(id);
    if (!s) return null;
    if (s.expires < this.now()) { this.map.delete(id); return null; }
    s.expires = this.now() + this.ttlMs;
    return s.user;
  }

  destroy(id: string): void { this.map.delete(id); }

  /** Drop every session of a user (after the user is removed). */
  destroyUser(user: string): void {
    for (const [id, s] of this.map) if (s.user === user) this.map.delete(id);
  }
}
