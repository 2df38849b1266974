#!/usr/bin/env bash
# pgbench against PostgreSQL 15 and LumaDB on this machine: `pgbench -i -s SCALE` on both, then the
# select-only script (-S -M prepared) and the TPC-B-like script, each -c 8 -j 2 for SECONDS, in ROUNDS rounds
# that alternate which server goes first. Prints per run TPS, average and p99 latency (p99 from the
# per-transaction --log files, which hold a SAMPLING share of the transactions), failed transactions and each
# server's CPU per transaction; then per script the LumaDB/PostgreSQL TPS ratio of every round and the medians.
# SCRIPTS picks the scripts (default "select-only tpcb"); "serial-insert" (single-row INSERT ... RETURNING into a
# bigserial table) and "nextval" (SELECT nextval) run the files in bench/pgbench/, prepared, after its setup.sql.
# PostgreSQL runs from a throwaway initdb on 127.0.0.1 and a free port.
# Usage: bench/pg-side-by-side.sh [seconds per run, default 30] [scale, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-30}
SCALE=${2:-10}
CLIENTS=${CLIENTS:-8}
THREADS=${THREADS:-2}
# Share of transactions pgbench logs for the p99: writing a line per transaction costs pgbench, which shares the
# two cores with the server, about a fifth of select-only throughput; a tenth still leaves hundreds of thousands.
SAMPLING=${SAMPLING:-0.1}
# Rounds of the two scripts on both servers (see below).
ROUNDS=${ROUNDS:-3}
SCRIPTS=${SCRIPTS:-select-only tpcb}
WORK=$(mktemp -d /tmp/pg-side-by-side.XXXXXX)
chmod 755 "$WORK"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [[ -n "${PGBIN:-}" && -d "$WORK/pg" ]]; then su postgres -s /bin/sh -c "$PGBIN/pg_ctl -D $WORK/pg -m immediate stop" >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# PostgreSQL 15 server binaries (Debian's postgresql-15) and pgbench (postgresql-client / contrib).
PGBIN=/usr/lib/postgresql/15/bin
if [[ ! -x "$PGBIN/postgres" ]] || ! command -v pgbench >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 postgresql-client-15 >/dev/null
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# The server measured: the shipped NativeAOT binary unless LUMA_BIN or LUMA_JIT says otherwise.
source bench/luma-bin.sh

# PostgreSQL: initdb as the postgres user (it refuses to run as root), trust on loopback only.
PG_PORT=$(free_port)
chmod 755 "$WORK" && mkdir -p "$WORK/pg" "$WORK/pgrun" && chown postgres "$WORK/pg" "$WORK/pgrun"
su postgres -s /bin/sh -c "$PGBIN/initdb -D $WORK/pg -U postgres -A trust >/dev/null"
su postgres -s /bin/sh -c "$PGBIN/pg_ctl -D $WORK/pg -l $WORK/pgrun/pg.log -o \"-c listen_addresses=127.0.0.1 -p $PG_PORT -k $WORK/pgrun\" -w start >/dev/null"

# LumaDB: the binary above, throwaway data folder, only the PostgreSQL listener. LUMA_PID's CPU time (utime + stime
# from /proc) over each run divided by its transactions gives CPU microseconds per transaction: unlike p99, it
# holds steady when the machine is busy with other work.
LUMA_PORT=$(free_port); HTTP_PORT=$(free_port)
"${LUMA[@]}" serve --data-dir "$WORK/luma" --set postgres.port="$LUMA_PORT" --set http.port="$HTTP_PORT" \
  --set prometheus.port=0 --set otlp_grpc.port=0 --set otlp_http.port=0 --set internal_grpc.port=0 \
  --set log.level=warning >"$WORK/luma.log" 2>&1 &
LUMA_PID=$!
PIDS+=($LUMA_PID)
# PostgreSQL's backends are children of the postmaster: its cutime + cstime collect theirs once they exit (pgbench
# closes its connections at the end of a run), so the postmaster's four fields give the whole server's CPU.
PG_PID=$(head -1 "$WORK/pg/postmaster.pid")
cpu_ticks() {
  if [[ $1 == LumaDB ]]; then awk '{ print $14 + $15 }' "/proc/$LUMA_PID/stat"
  else awk '{ print $14 + $15 + $16 + $17 }' "/proc/$PG_PID/stat"; fi
}
for _ in $(seq 1 300); do curl -fs -o /dev/null "http://127.0.0.1:$HTTP_PORT/ready" && break; sleep 0.1; done

# init NAME HOST-ARGS: pgbench -i, timed.
init() {
  local name=$1; shift
  local start end
  start=$(date +%s.%N)
  pgbench "$@" -i -s "$SCALE" -q >"$WORK/$name-init.log" 2>&1 || { echo "$name: pgbench -i failed" >&2; tail -5 "$WORK/$name-init.log" >&2; return 1; }
  end=$(date +%s.%N)
  echo "$name init $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }') s" >>"$WORK/init"
}

# run NAME ROUND SCRIPT HOST-ARGS: one pgbench run; appends "name script round tps avg p99 failed cpu" to results.
run() {
  local name=$1 round=$2 script=$3; shift 3
  local prefix="$WORK/$name-$script-$round"
  local args=(-n -c "$CLIENTS" -j "$THREADS" -T "$SECONDS_PER_RUN" --log --log-prefix="$prefix" --sampling-rate="$SAMPLING")
  [[ $script == select-only ]] && args+=(-S -M prepared)
  [[ -f bench/pgbench/$script.sql ]] && args+=(-M prepared -f "bench/pgbench/$script.sql")
  local cpu0
  cpu0=$(cpu_ticks "$name")
  pgbench "$@" "${args[@]}" >"$prefix.out" 2>&1 || true
  # pgbench's connections must be gone (their CPU collected) before the PostgreSQL reading.
  sleep 0.5
  local txns tps avg failed p99 cpu
  txns=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$prefix.out")
  cpu=$(awk -v a="$cpu0" -v b="$(cpu_ticks "$name")" -v t="${txns:-0}" -v k="$(getconf CLK_TCK)" \
    'BEGIN { if (t > 0) printf "%.1f", (b - a) / k * 1e6 / t; else print "n/a" }')
  tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$prefix.out")
  avg=$(sed -n 's/^latency average = \([0-9.]*\) ms.*/\1/p' "$prefix.out")
  failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$prefix.out")
  # Per-transaction log lines: client_id transaction_no time(us) script_no time_epoch time_us.
  p99=$(cat "$prefix".[0-9]* 2>/dev/null | awk '{ print $3 }' | sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else { i = int(NR * 0.99); if (i < 1) i = 1; printf "%.3f", v[i] / 1000 } }')
  echo "$name $script $round ${tps:-0} ${avg:-n/a} $p99 ${failed:-n/a} $cpu" >>"$WORK/results"
  tail -3 "$prefix.out" | sed "s/^/$name $script round $round: /" >&2
}

PG_ARGS=(-h 127.0.0.1 -p "$PG_PORT" -U postgres postgres)
LUMA_ARGS=(-h 127.0.0.1 -p "$LUMA_PORT" -U luma luma)
init PostgreSQL "${PG_ARGS[@]}"
init LumaDB "${LUMA_ARGS[@]}"
psql -q -X -v ON_ERROR_STOP=1 "${PG_ARGS[@]}" -f bench/pgbench/setup.sql
psql -q -X -v ON_ERROR_STOP=1 "${LUMA_ARGS[@]}" -f bench/pgbench/setup.sql

# Rounds alternate which server goes first, so a machine that gets busier or quieter over the minutes (it is
# shared) weighs on both; each round's ratio compares two runs made back to back.
for round in $(seq 1 "$ROUNDS"); do
  for script in $SCRIPTS; do
    if (( round % 2 == 1 )); then order=(PostgreSQL LumaDB); else order=(LumaDB PostgreSQL); fi
    for name in "${order[@]}"; do
      if [[ $name == LumaDB ]]; then run LumaDB "$round" "$script" "${LUMA_ARGS[@]}"
      else run PostgreSQL "$round" "$script" "${PG_ARGS[@]}"; fi
    done
  done
done

echo
cat "$WORK/init"
printf '%-12s %-12s %5s %12s %9s %9s %7s %12s\n' server script round tps avg-ms p99-ms failed cpu-us/txn
sort -k2,2 -k3,3n -k1,1 "$WORK/results" | while read -r name script round tps avg p99 failed cpu; do
  printf '%-12s %-12s %5s %12s %9s %9s %7s %12s\n' "$name" "$script" "$round" "$tps" "$avg" "$p99" "$failed" "$cpu"
done
echo
# Per round LumaDB/PostgreSQL ratios, then their median over the rounds.
awk '{ k = $2 " " $3; if ($1 == "LumaDB") { lt[k] = $4; lp[k] = $6; lc[k] = $8 } else { pt[k] = $4; pp[k] = $6; pc[k] = $8 }; s[$2] = 1; if ($3 > n) n = $3 }
  function median(a, m,   i, j, t) {
    for (i = 2; i <= m; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
  }
  END {
    count = split(scripts, names, " ")
    for (x = 1; x <= count; x++) {
      sc = names[x]; if (!(sc in s)) continue
      line = ""; m = 0; delete r; delete q; delete c
      for (i = 1; i <= n; i++) {
        k = sc " " i
        if (pt[k] > 0) { r[++m] = lt[k] / pt[k]; q[m] = (pp[k] > 0 ? lp[k] / pp[k] : 0); c[m] = (pc[k] > 0 ? lc[k] / pc[k] : 0); line = line sprintf(" %.2f", r[m]) }
      }
      if (m == 0) continue
      printf "LumaDB/PostgreSQL %-12s tps per round:%s  median tps %.2f  median p99 %.2f  median cpu/txn %.2f\n", sc, line, median(r, m), median(q, m), median(c, m)
    }
  }' scripts="$SCRIPTS" "$WORK/results"
