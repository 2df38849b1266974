#!/usr/bin/env bash
# Durability under kill -9: a writer commits with fsync=always and records every acknowledged row; it is
# killed at a random moment while writing, the data is reopened and every acknowledged row must be there.
# Repeats N times (default 50) on one data directory, so each round also recovers what earlier rounds left.
# Usage: bench/crash-loop.sh [iterations]
set -euo pipefail
cd "$(dirname "$0")/.."
iterations=${1:-50}

if ! built=$(dotnet build bench/LumaDB.Bench.CrashLoop -c Release -v quiet -nologo 2>&1); then
  echo "$built" >&2
  exit 1
fi
bin=bench/LumaDB.Bench.CrashLoop/bin/Release/net10.0/LumaDB.Bench.CrashLoop.dll
work=$(mktemp -d -t luma-crash-loop-XXXXXX)
data=$work/data
acks=$work/acks.txt
touch "$acks"
writer=
trap 'if [[ -n "$writer" ]]; then kill -9 "$writer" 2>/dev/null || true; fi; rm -rf "$work"' EXIT

for ((i = 1; i <= iterations; i++)); do
  rm -f "$work/ready"
  dotnet "$bin" writer --data "$data" --ready "$work/ready" >>"$acks" 2>"$work/writer.err" &
  writer=$!
  # The kill lands 0.2 to 2.0 s into writing, counted from the moment the writer has recovered.
  while [[ ! -e "$work/ready" ]]; do
    if ! kill -0 "$writer" 2>/dev/null; then
      echo "writer exited before it was ready:" >&2
      cat "$work/writer.err" >&2
      exit 1
    fi
    sleep 0.02
  done
  delay=$(awk -v r="$RANDOM" 'BEGIN { printf "%.3f", 0.2 + (r / 32767) * 1.8 }')
  sleep "$delay"
  kill -9 "$writer" 2>/dev/null || true
  wait "$writer" 2>/dev/null || true
  # A line cut by the kill would join the next round's first line.
  if [[ -s "$acks" && $(tail -c 1 "$acks" | od -An -c | tr -d ' ') != '\n' ]]; then
    echo >>"$acks"
  fi

  if ! result=$(dotnet "$bin" verify --data "$data" --acks "$acks"); then
    echo "iteration $i (killed after ${delay}s): $result" >&2
    echo "FAILED after $i iterations" >&2
    cat "$work/writer.err" >&2
    exit 1
  fi

  echo "iteration $i killed after ${delay}s: $result"
done

echo "RESULT iterations=$iterations acknowledged_writes_verified=$(grep -c '^ACK ' "$acks") lost=0"
