#!/usr/bin/env bash
# Installs what the test suite needs on a fresh machine, then runs every test project.
# Usage: scripts/test.sh [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests use as real peers and clients (root on CI machines; skipped when present).
need=()
command -v psql >/dev/null 2>&1 || need+=(postgresql-client)
# pgbench lives in the server package on Debian 12.
[ -x /usr/lib/postgresql/15/bin/pgbench ] || need+=(postgresql-15)
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
# PostgreSQL clients the compatibility tests drive: pgjdbc (on the machine's Java), psycopg2 (system python3), Node.js.
[ -f /usr/share/java/postgresql.jar ] || need+=(libpostgresql-jdbc-java)
command -v java >/dev/null 2>&1 || need+=(default-jdk-headless)
/usr/bin/python3 -c 'import psycopg2' >/dev/null 2>&1 || need+=(python3-psycopg2)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "the tests need: ${need[*]} (apt-get install them, or run this script as root)" >&2
    exit 1
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# npm packages the tests start as real peers (e.g. an S3-compatible server), pinned by package-lock.json.
if [ -f tests/tools/package.json ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "npm is required for the test peers in tests/tools; install Node.js and npm" >&2
    exit 1
  fi
  if [ ! -d tests/tools/node_modules ] || [ tests/tools/package-lock.json -nt tests/tools/node_modules ]; then
    (cd tests/tools && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test LumaDB.slnx --blame-hang-timeout 10m "$@" 2>&1 | tee "$log" || status=$?

# One closing line in the plain form, summed over the test assemblies.
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then
  echo "no test ran" >&2
  exit 1
fi
exit "$status"
