#!/usr/bin/env bash
# Resource server benchmark: a bare hello Worker against the same hello behind OAuthResourceServer with one JWT
# (repeat calls: the verified-JWT cache), and the first-call cost of verifying a new JWT (in process).
# Loopback only, bounded duration. Usage: Benchmarks/run-resource-server.sh [seconds] [connections] [tokens]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
connections=${2:-64}
tokens=${3:-2000}
threads=2
command -v wrk >/dev/null || { echo "wrk is required: apt-get install wrk" >&2; exit 1; }
swift build -c release --scratch-path .build-release --product resource-server-benchmark >/dev/null
bin=$(swift build -c release --scratch-path .build-release --show-bin-path)/resource-server-benchmark
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
. Benchmarks/lib/wrk.sh

echo "wrk -t$threads -c$connections -d${duration}s on 127.0.0.1 (release build)"
"$bin" hello 18091 & pid=$!
wait_for 18091
measure hello "http://127.0.0.1:18091/hello"
kill -INT "$pid"; wait "$pid" 2>/dev/null || true
"$bin" protected 18092 "$results/token" & pid=$!
wait_for 18092
measure protected-jwt "http://127.0.0.1:18092/hello" -H "Authorization: Bearer $(cat "$results/token")"
kill -INT "$pid"; wait "$pid" 2>/dev/null || true

python3 - "$results/summary.txt" <<'PY'
import sys
rows = {l.split()[0]: l.split()[1:] for l in open(sys.argv[1])}
h, p = float(rows['hello'][0]), float(rows['protected-jwt'][0])
print(f"protected/hello throughput: {p / h:.2f}   (target >= 0.60)")
bad = rows['protected-jwt'][3]
if bad != '0':
    print(f"protected-jwt had {bad} non-2xx answers: the token was refused", file=sys.stderr)
    sys.exit(1)
PY
"$bin" verify "$tokens"
