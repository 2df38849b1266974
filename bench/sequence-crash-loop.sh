#!/usr/bin/env bash
# Sequences under kill -9: four psql clients take nextval as fast as they can until the server is killed at a
# random moment; after a restart on the same data the next value must be above every value any client received.
# Repeats N rounds (default 8) on one data directory. Prints each round's values, the largest received, the
# value after the restart (the gap is the logged-ahead block the crash skipped) and ok or FAIL.
# Usage: bench/sequence-crash-loop.sh [rounds]   (LUMA_BIN / LUMA_JIT as for the other scripts)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-8}
source bench/luma-bin.sh
WORK=$(mktemp -d /tmp/luma-seq-crash.XXXXXX)
LUMA_PID=
cleanup() { [[ -n "$LUMA_PID" ]] && kill -9 "$LUMA_PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
PG_PORT=$(free_port); HTTP_PORT=$(free_port)
PSQL=(psql -h 127.0.0.1 -p "$PG_PORT" -U luma -d luma -X)

start() {
  "${LUMA[@]}" serve --data-dir "$WORK/data" --set postgres.port="$PG_PORT" --set http.port="$HTTP_PORT" \
    --set prometheus.port=0 --set otlp_grpc.port=0 --set otlp_http.port=0 --set internal_grpc.port=0 \
    --set log.level=warning >>"$WORK/luma.log" 2>&1 &
  LUMA_PID=$!
  for _ in $(seq 1 300); do curl -fs -o /dev/null "http://127.0.0.1:$HTTP_PORT/ready" && return; sleep 0.1; done
  echo "luma did not become ready" >&2; tail -20 "$WORK/luma.log" >&2; exit 1
}
kill_luma() { kill -9 "$LUMA_PID"; wait "$LUMA_PID" 2>/dev/null || true; LUMA_PID=; }

python3 -c "print(\"SELECT nextval('s');\n\" * 500000, end='')" >"$WORK/take.sql"
start
"${PSQL[@]}" -qc "CREATE SEQUENCE s"
kill_luma
failed=0
for round in $(seq 1 "$ROUNDS"); do
  start
  clients=()
  for c in 1 2 3 4; do "${PSQL[@]}" -tA -f "$WORK/take.sql" >"$WORK/acks.$c" 2>/dev/null & clients+=($!); done
  sleep "$(python3 -c 'import random; print(round(random.uniform(0.8, 2.5), 2))')"
  kill_luma
  wait "${clients[@]}" 2>/dev/null || true
  received=$(cat "$WORK"/acks.* | grep -cE '^[0-9]+$' || true)
  max=$(cat "$WORK"/acks.* | grep -E '^[0-9]+$' | sort -n | tail -1)
  start
  next=$("${PSQL[@]}" -tAc "SELECT nextval('s')")
  kill_luma
  if (( next > max )); then verdict=ok; else verdict=FAIL; failed=1; fi
  echo "round $round: $received values received, largest $max, next after restart $next (gap $((next - max - 1))): $verdict"
done
exit $failed
