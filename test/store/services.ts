/**
 * Integration-test servers: the URL from the environment (.ci/services.d writes them to .ci/test-env), or a skip
 * with its reason — unless CRIMECAST_REQUIRE_SERVICES=1 (CI), where a missing server fails the suite instead.
 */
import pg from 'pg';
import { describe } from 'vitest';

export function serviceUrl(env: 'CRIMECAST_TEST_PG_URL' | 'CRIMECAST_TEST_REDIS_URL'): string | undefined {
  const url = process.env[env]?.trim();
  if (url) return url;
  if (process.env.CRIMECAST_REQUIRE_SERVICES === '1') {
    throw new Error(`${env} is unset but CRIMECAST_REQUIRE_SERVICES=1: start the servers with .ci/services.d/*.sh and load .ci/test-env`);
  }
  return undefined;
}

/** describe() when every service is configured; otherwise one skipped suite whose name says why. */
export function describeWithServices(name: string, envs: ('CRIMECAST_TEST_PG_URL' | 'CRIMECAST_TEST_REDIS_URL')[], body: () => void): void {
  const missing = envs.filter((e) => !serviceUrl(e));
  if (missing.length) {
    const why = `skipped: ${missing.join(' and ')} unset (run .ci/services.d/*.sh and export .ci/test-env)`;
    console.warn(`${name}: ${why}`);
    describe.skip(`${name} (${why})`, body);
  } else {
    describe(name, body);
  }
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
