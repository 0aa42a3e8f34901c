/**
 * Password and API-key hashing with scrypt (node:crypto). Stored form: "scrypt$N$r$p$salt$hash" (base64url), so
 * the cost can be raised later without invalidating old hashes. Comparison is constant-time.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (secret: string, salt: Buffer, len: number, o: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCb(secret, salt, len, o, (err, key) => (err ? reject(err) : resolve(key))));

/** N = 2^14, r = 8, p = 1: OWASP's minimum for scrypt; ~30 ms a hash on one core. */
const COST = { N: 1 << 14, r: 8, p: 1 };
const KEY_LEN = 32;

export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(secret, salt, KEY_LEN, { ...COST, maxmem: 64 * 1024 * 1024 });
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4], 'base64url'), want = Buffer.from(parts[5], 'base64url');
  const got = await scrypt(secret, salt, want.length, { N, r, p, maxmem: 64 * 1024 * 1024 });
  return got.length === want.length && timingSafeEqual(got, want);
}

/** A random token (session ids, API key secrets): 32 bytes, base64url. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
