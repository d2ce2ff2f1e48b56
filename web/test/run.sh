#!/usr/bin/env bash
# Runs the browser and protocol tests: loads the demo profile into the Neo4j at NEO4J_URI (the
# throw-away one of `make test`), serves the API on a free port, and runs the tests in Debian's
# headless Chromium with playwright-core, and the reference clients of the protocols (graphql-http's
# audit, graphql-ws's client). Screenshots go to test-output/.
# WEB_TESTS picks some of the test files (e.g. WEB_TESTS=test/dashboard.test.mjs).
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${NEO4J_URI:?NEO4J_URI is not set: run this from make test}"
if [[ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]]; then
  echo "web/test/run.sh: Chromium is missing: run \`make browser\` (installs Debian's chromium)" >&2
  exit 1
fi
./bin/seed -profile demo -neo4j-uri "$NEO4J_URI" >/dev/null
# Keys for the protocol tests: an admin that writes, an integrator that reads the live feed.
run=$(date +%s%N)
GONGJIAN_ADMIN_KEY=$(./bin/gongjian keys create -neo4j-uri "$NEO4J_URI" -name "webtest-admin-$run" -role admin 2>/dev/null)
GONGJIAN_INTEGRATOR_KEY=$(./bin/gongjian keys create -neo4j-uri "$NEO4J_URI" -name "webtest-integrator-$run" -role integrator -systems webtest -reads all 2>/dev/null)
export GONGJIAN_ADMIN_KEY GONGJIAN_INTEGRATOR_KEY
port=$(neo4j/neo4jctl free-port)
./bin/gongjian -addr "127.0.0.1:$port" -neo4j-uri "$NEO4J_URI" -anonymous analyst -anonymous-loopback-only=true -allow-writes=true >test-output/explore-server.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  sleep 0.3
done
cd web
GONGJIAN_URL="http://127.0.0.1:$port" TEST_OUTPUT=../test-output node --test ${WEB_TESTS:-test/*.test.mjs}
