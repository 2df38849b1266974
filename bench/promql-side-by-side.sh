#!/usr/bin/env bash
# Loads the same dashboard-like data (node_exporter-style counters and a classic histogram, 15 s interval) into
# LumaDB and Prometheus (remote write receiver) and runs typical Grafana range queries against both: per query
# the median latency on each server, the LumaDB/Prometheus ratio, and whether the results agree.
# Usage: [SETTLE=45] [LUMA_BIN=path | LUMA_JIT=1] bench/promql-side-by-side.sh [hosts, default 128 = 10,112 series] [hours, default 6] [runs, default 5] [step s, default 30]
set -euo pipefail
cd "$(dirname "$0")/.."
HOSTS=${1:-128}
HOURS=${2:-6}
RUNS=${3:-5}
STEP=${4:-30}
WORK=$(mktemp -d /tmp/promql-side-by-side.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT

# Prometheus from Debian's package, installed when missing (as root).
if [[ ! -x /usr/bin/prometheus ]]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus >/dev/null
fi

# The server measured: the shipped NativeAOT binary unless LUMA_BIN or LUMA_JIT says otherwise.
source bench/luma-bin.sh
dotnet build -c Release -v q -nologo bench/LumaDB.Bench.PromQL >/dev/null
BENCH_DLL=bench/LumaDB.Bench.PromQL/bin/Release/net10.0/LumaDB.Bench.PromQL.dll

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_http() { for _ in $(seq 1 300); do curl -fs -o /dev/null "$1" && return 0; sleep 0.1; done; echo "no answer from $1" >&2; return 1; }

LP=$(free_port); LH=$(free_port)
"${LUMA[@]}" serve --data-dir "$WORK/luma" --set prometheus.port="$LP" --set http.port="$LH" \
  --set postgres.port=0 --set otlp_grpc.port=0 --set otlp_http.port=0 --set internal_grpc.port=0 \
  --set log.level=warning >"$WORK/luma.log" 2>&1 &
PP=$(free_port)
printf 'global:\n  scrape_interval: 1m\n' >"$WORK/prometheus.yml"
/usr/bin/prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/prom" \
  --web.listen-address="127.0.0.1:$PP" --web.enable-remote-write-receiver --log.level=error >"$WORK/prom.log" 2>&1 &
wait_http "http://127.0.0.1:$LH/ready"
wait_http "http://127.0.0.1:$PP/-/ready"
dotnet "$BENCH_DLL" --luma "http://127.0.0.1:$LP" --prom "http://127.0.0.1:$PP" --hosts "$HOSTS" --hours "$HOURS" --runs "$RUNS" --step "$STEP" --settle "${SETTLE:-45}"
echo "prometheus $(/usr/bin/prometheus --version 2>&1 | head -1)"
