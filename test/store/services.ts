/**
 * Integration-test servers: the URL from the environment (.ci/services.d writes them to .ci/test-env). A missing
 * server is a prerequisite (test/helpers.ts requirePrerequisite): skipped locally with how to start it, a failure
 * under CRIMECAST_REQUIRE_ALL=1 / CI.
 */
import pg from 'pg';
import { describe } from 'vitest';
import { requirePrerequisite } from '../helpers.js';

type ServiceEnv = 'CRIMECAST_TEST_PG_URL' | 'CRIMECAST_TEST_REDIS_URL';
const SERVICE: Record<ServiceEnv, { name: string; script: string }> = {
  CRIMECAST_TEST_PG_URL: { name: 'PostgreSQL/PostGIS server', script: 'postgres.sh' },
  CRIMECAST_TEST_REDIS_URL: { name: 'Redis server', script: 'redis.sh' },
};

export function serviceUrl(env: ServiceEnv): string | undefined {
  return process.env[env]?.trim() || undefined;
}

/** Whether the service is configured (a prerequisite: see requirePrerequisite). */
export function hasService(env: ServiceEnv): boolean {
  const { name, script } = SERVICE[env];
  return requirePrerequisite(`${name} (${env})`, !!serviceUrl(env),
    `bash .ci/services.d/${script}, then export the variables in .ci/test-env (set -a; . .ci/test-env; set +a)`);
}

/** describe() when every service is configured; otherwise each missing one is reported by requirePrerequisite. */
export function describeWithServices(name: string, envs: ServiceEnv[], body: () => void): void {
  const ok = envs.map(hasService).every(Boolean);
  describe.runIf(ok)(name, body);
}

/**
 * A fresh schema in the test database, so runs never see each other's rows: returns a URL whose search_path puts
 * it first (PostGIS stays reachable in public) and a function that drops it.
 */
export async function freshSchema(url: string, tag: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const schema = `cc_${tag}_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema},public`);
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    },
  };
}
