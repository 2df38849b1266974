#!/usr/bin/env bash
# Start-up time of the shipped binary: publishes luma with NativeAOT (Release), then measures process start
# to the first 200 from /ready, median of N runs (default 10).
# Usage: bench/startup.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}

if ! command -v clang >/dev/null 2>&1 || ! command -v ld.lld >/dev/null 2>&1; then
  echo "NativeAOT needs clang and lld; installing them with apt-get" >&2
  apt-get update -qq && apt-get install -y -qq clang lld >/dev/null
fi

dotnet publish src/LumaDB.Server -c Release -r linux-x64 -o artifacts/luma
ls -l artifacts/luma/luma
dotnet run -c Release --project bench/LumaDB.Bench.Startup -- artifacts/luma/luma "$runs"
