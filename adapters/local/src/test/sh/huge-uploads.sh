#!/usr/bin/env bash
# Peak memory of the packaged local runtime while it meets huge uploads (docs/benchmarks.md):
# sparse files of 1 GB and 3 GB (all NUL bytes, no line break) as .csv and .jsonl, and a real
# 1 GB CSV of iris rows. Prints the resident set before and the peak after each, and what failed/
# kept. Usage: adapters/local/src/test/sh/huge-uploads.sh adapters/local/target/triad-local.jar
set -euo pipefail
jar=$(realpath "$1")
home=$(mktemp -d)
bucket="$home/bucket"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
ORT_DISABLE_TELEMETRY=1 java -jar "$jar" --triad.local.bucket="$bucket" --triad.local.port="$port" \
  --triad.local.bootstrap=iris > "$home/runtime.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true; rm -rf "$home"' EXIT
until curl -sf "http://127.0.0.1:$port/v2/models/iris/ready" > /dev/null; do sleep 1; done
rss() { awk '/VmRSS/ {print int($2/1024)}' /proc/$pid/status; }
hwm() { awk '/VmHWM/ {print int($2/1024)}' /proc/$pid/status; }
echo "| upload | RSS before MiB | peak RSS so far MiB | outcome | failed/ bytes kept |"
echo "|---|---|---|---|---|"
wait_for() { for _ in $(seq 1 600); do [ -e "$1" ] && return 0; sleep 0.5; done; return 1; }
run() {
  local name=$1 make=$2 before
  before=$(rss)
  mkdir -p "$bucket/incoming/iris"
  eval "$make \"$home/$name\""
  mv "$home/$name" "$bucket/incoming/iris/$name"
  local out="$bucket/predictions/iris/$name.jsonl" err="$bucket/failed/incoming/iris/$name.error.json"
  for _ in $(seq 1 1200); do [ -e "$out" ] || [ -e "$err" ] && break; sleep 0.5; done
  local outcome kept
  if [ -e "$out" ]; then outcome="scored: $(wc -l < "$out") lines"
  else outcome=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["error"][:110])' "$err"); fi
  kept=$(du -b --apparent-size "$bucket/failed/incoming/iris/$name" 2>/dev/null | cut -f1 || true)
  [ -e "$out" ] && kept="-"
  echo "| $name | $before | $(hwm) | $outcome | ${kept:-none (reason only)} |"
}
run sparse-1g.csv "truncate -s 1G"
run sparse-1g.jsonl "truncate -s 1G"
run sparse-3g.csv "truncate -s 3G"
run real-1g.csv "python3 -c 'import sys,random; r=random.Random(1); f=open(sys.argv[1],\"w\"); f.write(\"id,sepal_length,sepal_width,petal_length,petal_width\n\"); [f.write(\"%d,%.1f,%.1f,%.1f,%.1f\n\" % (i, r.uniform(4,8), r.uniform(2,4.5), r.uniform(1,7), r.uniform(0.1,2.5))) for i in range(40_000_000)]'"
