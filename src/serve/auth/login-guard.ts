/**
 * Limits on failed sign-ins and unknown API keys. Only failures cost a token, so a user who signs in correctly is
 * never slowed. Sign-in failures are counted per (account, address) and, five times as loosely, per address: one
 * client guessing passwords behind a shared proxy address locks out that account from that address, not everyone.
 * Addresses are the socket's unless the server is told it sits behind a proxy (see client-address.ts).
 */
import { RateLimiter, type RateLimit } from './rate-limit.js';

export class LoginGuard {
  private perAccount: RateLimiter;
  private perAddress: RateLimiter;
  private keys: RateLimiter;

  constructor(login: RateLimit, badKeys: RateLimit, now: () => number = Date.now) {
    this.perAccount = new RateLimiter(login, now);
    this.perAddress = new RateLimiter({ perMinute: login.perMinute * 5, burst: login.burst * 5 }, now);
    this.keys = new RateLimiter(badKeys, now);
  }

  private static account(user: string, address: string): string {
    return `${user.toLowerCase().slice(0, 64)}\u0000${address}`;
  }

  /** Seconds before this account may be tried again from this address (0 = now). */
  signInWait(user: string, address: string): number {
    return Math.max(this.perAccount.wait(LoginGuard.account(user, address)), this.perAddress.wait(address));
  }

  signInFailed(user: string, address: string): void {
    this.perAccount.take(LoginGuard.account(user, address));
    this.perAddress.take(address);
  }

  /** Seconds before this address may present another unknown API key (0 = now); verifying one costs a scrypt hash. */
  keyWait(address: string): number { return this.keys.wait(address); }

  keyFailed(address: string): void { this.keys.take(address); }
}
