#!/usr/bin/env bash
# Not a server: tells the dashboard browser test (test/serve/browser.test.ts) that chromium from .ci/apt-packages.txt
# must be there, so a missing browser fails the run instead of skipping the test.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x /usr/bin/chromium ] || echo "browser.sh: /usr/bin/chromium is missing (apt-get install chromium); the browser test will fail" >&2
touch .ci/test-env
grep -v '^CRIMECAST_REQUIRE_BROWSER=' .ci/test-env > .ci/test-env.tmp || true
echo "CRIMECAST_REQUIRE_BROWSER=1" >> .ci/test-env.tmp
mv .ci/test-env.tmp .ci/test-env
