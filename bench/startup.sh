#!/usr/bin/env bash
# Measures `isogov serve` on an empty SQLite database: time from start until /readyz answers
# 200, and resident memory after 5 s idle. Usage: bench/startup.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/isogov" ./cmd/isogov
port=18555
for i in $(seq 1 "$runs"); do
  rm -rf "$work/data"
  start=$(date +%s%N)
  "$work/isogov" serve --addr 127.0.0.1:$port --data "$work/data" >/dev/null 2>&1 &
  pid=$!
  until curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do sleep 0.005; done
  ready=$(( ($(date +%s%N) - start) / 1000000 ))
  sleep 5
  rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
  kill -TERM $pid; wait $pid || true
  echo "run $i: ready in ${ready} ms, idle RSS $((rss / 1024)) MiB"
done
