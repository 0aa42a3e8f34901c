#!/usr/bin/env bash
# Starts a private PostgreSQL 15 + PostGIS server for the store integration tests (socket and data under /tmp,
# port 55432) and appends CRIMECAST_TEST_PG_URL to .ci/test-env.
# initdb refuses to run as root, so when CI runs as root the server runs as the `postgres` user Debian creates.
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${CRIMECAST_PG_PORT:-55432}
BASE=${CRIMECAST_PG_DIR:-/tmp/crimecast-pg}
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$BIN/initdb" ] || { echo "postgres.sh: PostgreSQL is not installed (apt-get install postgresql postgresql-15-postgis-3)" >&2; exit 1; }

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

mkdir -p "$BASE"
[ "$(id -u)" = 0 ] && chown postgres: "$BASE"
if [ ! -f "$BASE/data/PG_VERSION" ]; then
  as_pg "$BIN/initdb" -D "$BASE/data" -U crimecast --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
if ! as_pg "$BIN/pg_ctl" -D "$BASE/data" status >/dev/null 2>&1; then
  # the tests' data is throwaway: trade durability for speed
  as_pg "$BIN/pg_ctl" -D "$BASE/data" -l "$BASE/server.log" -w -t 60 start \
    -o "-p $PORT -k $BASE -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
fi
psql_() { as_pg env PGOPTIONS="-c client_min_messages=warning" "$BIN/psql" -h "$BASE" -p "$PORT" -U crimecast -v ON_ERROR_STOP=1 -qAt "$@"; }
if [ "$(psql_ -d postgres -c "SELECT 1 FROM pg_database WHERE datname = 'crimecast_test'")" != 1 ]; then
  psql_ -d postgres -c 'CREATE DATABASE crimecast_test'
fi
psql_ -d crimecast_test -c 'CREATE EXTENSION IF NOT EXISTS postgis'
echo "postgres.sh: PostgreSQL on 127.0.0.1:$PORT, PostGIS $(psql_ -d crimecast_test -c 'SELECT postgis_lib_version()')"

touch .ci/test-env
grep -v '^CRIMECAST_TEST_PG_URL=' .ci/test-env > .ci/test-env.tmp || true
mv .ci/test-env.tmp .ci/test-env
echo "CRIMECAST_TEST_PG_URL=postgres://crimecast@127.0.0.1:$PORT/crimecast_test" >> .ci/test-env
