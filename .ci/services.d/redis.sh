#!/usr/bin/env bash
# Starts a private Redis server for the job-queue integration tests (port 56379, files under /tmp) and appends
# CRIMECAST_TEST_REDIS_URL to .ci/test-env.
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${CRIMECAST_REDIS_PORT:-56379}
BASE=${CRIMECAST_REDIS_DIR:-/tmp/crimecast-redis}
command -v redis-server >/dev/null || { echo "redis.sh: redis-server is not installed (apt-get install redis-server)" >&2; exit 1; }
mkdir -p "$BASE"
if ! redis-cli -p "$PORT" ping >/dev/null 2>&1; then
  # BullMQ needs noeviction: an evicted job key would lose a job silently
  redis-server --port "$PORT" --bind 127.0.0.1 --dir "$BASE" --daemonize yes --pidfile "$BASE/redis.pid" \
    --logfile "$BASE/redis.log" --save '' --appendonly no --maxmemory-policy noeviction
  for _ in $(seq 50); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi
redis-cli -p "$PORT" ping >/dev/null || { echo "redis.sh: redis-server did not start (see $BASE/redis.log)" >&2; exit 1; }
echo "redis.sh: Redis $(redis-cli -p "$PORT" info server | sed -n 's/^redis_version:\(.*\)\r$/\1/p') on 127.0.0.1:$PORT"

touch .ci/test-env
grep -v '^CRIMECAST_TEST_REDIS_URL=' .ci/test-env > .ci/test-env.tmp || true
mv .ci/test-env.tmp .ci/test-env
echo "CRIMECAST_TEST_REDIS_URL=redis://127.0.0.1:$PORT" >> .ci/test-env
