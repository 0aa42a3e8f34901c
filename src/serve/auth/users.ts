/**
 * Users and their API keys, kept in one JSON file (owner-only) in the server's state folder. Passwords and keys are
 * stored only as scrypt hashes; an API key ("cck_<keyId>_<secret>") is shown once, at creation.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { hashSecret, randomToken, verifySecret } from './passwords.js';
import { ROLES, type Role } from './roles.js';
import { HttpError } from '../http-error.js';

export interface ApiKeyRecord { id: string; label: string; hash: string; created: string }
export interface UserRecord { name: string; role: Role; passwordHash: string; created: string; keys: ApiKeyRecord[] }
export interface PublicUser { name: string; role: Role; created: string; keys: { id: string; label: string; created: string }[] }

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/i;
export const MIN_PASSWORD = 10;

export class UserStore {
  private users = new Map<string, UserRecord>();

  constructor(readonly path: string | null) {
    if (path && existsSync(path)) {
      const list = JSON.parse(readFileSync(path, 'utf8')) as UserRecord[];
      for (const u of list) this.users.set(u.name, u);
    }
  }

  get size(): number { return this.users.size; }

  list(): PublicUser[] {
    return [...this.users.values()].map(toPublic).sort((a, b) => a.name.localeCompare(b.name));
  }

  get(name: string): UserRecord | undefined { return this.users.get(name); }

  async create(name: string, password: string, role: Role): Promise<PublicUser> {
    if (!NAME.test(name)) throw new HttpError(400, `user name "${name}" is not allowed`, 'use letters, digits, ".", "_" or "-" (at most 64)');
    if (!ROLES.includes(role)) throw new HttpError(400, `unknown role "${role}"`, `use one of ${ROLES.join(', ')}`);
    if (password.length < MIN_PASSWORD) throw new HttpError(400, `password too short (${password.length} characters)`, `use at least ${MIN_PASSWORD}`);
    if (this.users.has(name)) throw new HttpError(409, `user "${name}" exists`);
    const u: UserRecord = { name, role, passwordHash: await hashSecret(password), created: new Date().toISOString(), keys: [] };
    this.users.set(name, u);
    this.save();
    return toPublic(u);
  }

  remove(name: string): void {
    if (!this.users.delete(name)) throw new HttpError(404, `no user "${name}"`);
    this.save();
  }

  async checkPassword(name: string, password: string): Promise<UserRecord | null> {
    const u = this.users.get(name);
    // hash anyway for unknown users so response time does not reveal which names exist
    const ok = await verifySecret(password, u?.passwordHash ?? DUMMY_HASH);
    return u && ok ? u : null;
  }

  async createKey(name: string, label: string): Promise<{ id: string; key: string }> {
    const u = this.users.get(name);
    if (!u) throw new HttpError(404, `no user "${name}"`);
    const id = randomToken(6), secret = randomToken(24);
    u.keys.push({ id, label, hash: await hashSecret(secret), created: new Date().toISOString() });
    this.save();
    return { id, key: `cck_${id}_${secret}` };
  }

  revokeKey(name: string, id: string): void {
    const u = this.users.get(name);
    const i = u?.keys.findIndex((k) => k.id === id) ?? -1;
    if (!u || i < 0) throw new HttpError(404, `no key "${id}" for user "${name}"`);
    u.keys.splice(i, 1);
    this.save();
  }

  /** The user owning an API key, or null. */
  async checkKey(key: string): Promise<UserRecord | null> {
    const m = /^cck_([A-Za-z0-9_-]{8})_([A-Za-z0-9_-]+)$/.exec(key);
    if (!m) return null;
    for (const u of this.users.values()) {
      const k = u.keys.find((x) => x.id === m[1]);
      if (k) return (await verifySecret(m[2], k.hash)) ? u : null;
    }
    return null;
  }

  private save(): void {
    if (!this.path) return;
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const tmp = this.path + '.tmp';
    writeFileSync(tmp, JSON.stringify([...this.users.values()], null, 1), { mode: 0o600 });
    renameSync(tmp, this.path);
    chmodSync(this.path, 0o600);
  }
}

const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

function toPublic(u: UserRecord): PublicUser {
  return { name: u.name, role: u.role, created: u.created, keys: u.keys.map(({ id, label, created }) => ({ id, label, created })) };
}
