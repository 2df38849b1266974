#!/usr/bin/env bash
# Server CPU per span including the compaction a span run leaves due: starts luma on a throwaway data directory,
# runs the OTLP bench's span senders for N seconds (default 20), waits until the server has used under 50 ms of
# CPU in 2 s, and divides all the CPU it used since the run started by the spans it accepted. The bench's own
# figure stops at the end of the run, while compaction takes whatever CPU is free, so that figure hides most of
# the merge work. Runs of a few seconds vary with how many merges are due when they stop.
# Usage: bench/otlp-total-cpu.sh [seconds]   (LUMA_BIN=path measures a given binary; see bench/luma-bin.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
source bench/luma-bin.sh
dotnet build -c Release -v q -nologo bench/LumaDB.Bench.Otlp >/dev/null

data=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
http=$(free_port); grpc=$(free_port); otlp_http=$(free_port)
"${LUMA[@]}" serve --data-dir "$data" --set prometheus.port=0 --set postgres.port=0 --set internal_grpc.port=0 \
  --set http.port="$http" --set otlp_grpc.port="$grpc" --set otlp_http.port="$otlp_http" --set log.level=warning >"$data.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data" "$data.log"' EXIT
for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$http/ready" && break; sleep 0.1; done

ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
start=$(ticks)
out=$(dotnet bench/LumaDB.Bench.Otlp/bin/Release/net10.0/LumaDB.Bench.Otlp.dll --host 127.0.0.1 --grpc-port "$grpc" \
  --http-port "$otlp_http" --duration "$seconds" --templates 32 --signals traces)
echo "$out" | grep -E 'spans/s|server CPU' || true
ended=$(ticks)
previous=$ended
while sleep 2; do now=$(ticks); (( now - previous < 5 )) && break; previous=$now; done
spans=$(echo "$out" | grep -o 'spans [0-9]*' | head -1 | awk '{print $2}')
hz=$(getconf CLK_TCK)
awk -v a="$start" -v b="$ended" -v c="$previous" -v n="$spans" -v hz="$hz" 'BEGIN {
  printf "server CPU per span: %.1f us during the run, %.1f us with the compaction it left due (%.1f s of CPU after the run)\n",
    (b - a) / hz * 1e6 / n, (c - a) / hz * 1e6 / n, (c - b) / hz }'
