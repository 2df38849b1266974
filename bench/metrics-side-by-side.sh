#!/usr/bin/env bash
# Drives LumaDB, VictoriaMetrics and Prometheus (remote write receiver) with the same remote write load and
# prints, per server: samples/s, resident memory per active series, on-disk bytes per sample after a flush,
# and the LumaDB/VictoriaMetrics and LumaDB/Prometheus ratios.
# Usage: bench/metrics-side-by-side.sh [seconds per server, default 30] [active series, default 100000]
# Environment: SERVERS (default "LumaDB VictoriaMetrics Prometheus") picks the servers to run; MAX_SAMPLES stops each
# load after that many samples, so memory and disk figures compare at the same samples per series on a busy machine.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-30}
SERIES=${2:-100000}
PER_REQUEST=${PER_REQUEST:-2000}
CONCURRENCY=${CONCURRENCY:-4}
SERVERS=${SERVERS:-LumaDB VictoriaMetrics Prometheus}
MAX_SAMPLES=${MAX_SAMPLES:-0}
WORK=$(mktemp -d /tmp/metrics-side-by-side.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

# The peers, from Debian's packages, installed when missing (as root).
need=()
[[ -x /usr/bin/victoria-metrics ]] || need+=(victoria-metrics)
[[ -x /usr/bin/prometheus ]] || need+=(prometheus)
if [[ ${#need[@]} -gt 0 ]]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# The server measured: the shipped NativeAOT binary unless LUMA_BIN or LUMA_JIT says otherwise.
source bench/luma-bin.sh
dotnet build -c Release -v q -nologo bench/LumaDB.Bench.RemoteWrite >/dev/null
BENCH_DLL=bench/LumaDB.Bench.RemoteWrite/bin/Release/net10.0/LumaDB.Bench.RemoteWrite.dll

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_http() { for _ in $(seq 1 300); do curl -fs -o /dev/null "$1" && return 0; sleep 0.1; done; echo "no answer from $1" >&2; return 1; }
rss_bytes() { awk '/^VmRSS:/ { print $2 * 1024 }' "/proc/$1/status"; }
stop() { kill -"$2" "$1" 2>/dev/null || true; for _ in $(seq 1 600); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done; kill -9 "$1" 2>/dev/null || true; }

# run NAME WRITE_URL READY_URL PID DATA_DIR STOP_SIGNAL
run() {
  local name=$1 url=$2 ready=$3 pid=$4 data=$5 signal=$6
  wait_http "$ready"
  local out
  out=$(dotnet "$BENCH_DLL" --url "$url" --series "$SERIES" --series-per-request "$PER_REQUEST" \
        --concurrency "$CONCURRENCY" --duration "$DURATION" --interval-ms 15000 --max-samples "$MAX_SAMPLES" 2>"$WORK/$name.err" || true)
  local rss; rss=$(rss_bytes "$pid")
  stop "$pid" "$signal"
  local disk; disk=$(du -sb "$data" | cut -f1)
  local rate samples p50 p99
  rate=$(sed -n 's/.*samples\/s \([0-9]*\).*/\1/p' <<<"$out")
  samples=$(sed -n 's/.*  samples \([0-9]*\).*/\1/p' <<<"$out")
  p50=$(sed -n 's/.*p50 \([0-9.]*\) ms.*/\1/p' <<<"$out")
  p99=$(sed -n 's/.*p99 \([0-9.]*\) ms.*/\1/p' <<<"$out")
  echo "$name $rate $samples $rss $disk $p50 $p99" >>"$WORK/results"
  echo "$name: $out" >&2
  head -3 "$WORK/$name.err" >&2 || true
}

wanted() { [[ " $SERVERS " == *" $1 "* ]]; }

# LumaDB: remote write on the prometheus listener; SIGTERM flushes samples to Parquet segments.
if wanted LumaDB; then
P=$(free_port); H=$(free_port)
"${LUMA[@]}" serve --data-dir "$WORK/luma" --set prometheus.port="$P" --set http.port="$H" \
  --set postgres.port=0 --set otlp_grpc.port=0 --set otlp_http.port=0 --set internal_grpc.port=0 \
  --set log.level=warning >"$WORK/luma.log" 2>&1 &
run LumaDB "http://127.0.0.1:$P/api/v1/write" "http://127.0.0.1:$H/ready" $! "$WORK/luma" TERM
fi

# VictoriaMetrics: SIGINT makes it flush its in-memory parts to disk.
if wanted VictoriaMetrics; then
P=$(free_port)
/usr/bin/victoria-metrics -httpListenAddr "127.0.0.1:$P" -storageDataPath "$WORK/vm" -loggerLevel ERROR >"$WORK/vm.log" 2>&1 &
run VictoriaMetrics "http://127.0.0.1:$P/api/v1/write" "http://127.0.0.1:$P/health" $! "$WORK/vm" INT
fi

# Prometheus as a remote write receiver: its on-disk data stays in the WAL until the 2-hour head compaction.
if wanted Prometheus; then
P=$(free_port)
/usr/bin/prometheus --config.file=<(printf 'global:\n  scrape_interval: 1m\n') --storage.tsdb.path="$WORK/prom" \
  --web.listen-address="127.0.0.1:$P" --web.enable-remote-write-receiver --log.level=error >"$WORK/prom.log" 2>&1 &
run Prometheus "http://127.0.0.1:$P/api/v1/write" "http://127.0.0.1:$P/-/ready" $! "$WORK/prom" TERM
fi

echo
printf '%-16s %12s %12s %14s %16s %10s %10s\n' server samples/s samples rss/series disk-bytes/sample p50-ms p99-ms
while read -r name rate samples rss disk p50 p99; do
  awk -v n="$name" -v r="$rate" -v s="$samples" -v m="$rss" -v d="$disk" -v a="$p50" -v b="$p99" -v k="$SERIES" \
    'BEGIN { printf "%-16s %12d %12d %14.0f %16.2f %10s %10s\n", n, r, s, m / k, (s > 0 ? d / s : 0), a, b }'
done <"$WORK/results"
echo
awk -v k="$SERIES" '
  { rate[$1] = $2; mem[$1] = $4 / k; disk[$1] = ($3 > 0 ? $5 / $3 : 0) }
  END {
    for (peer in rate) if (peer != "LumaDB") {
      printf "LumaDB/%s: samples/s %.2f  memory/series %.2f  disk/sample %.2f\n", peer,
        (rate[peer] > 0 ? rate["LumaDB"] / rate[peer] : 0), (mem[peer] > 0 ? mem["LumaDB"] / mem[peer] : 0),
        (disk[peer] > 0 ? disk["LumaDB"] / disk[peer] : 0)
    }
  }' "$WORK/results"
