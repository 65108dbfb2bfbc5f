#!/usr/bin/env bash
# HTTP-layer benchmark: bare Hummingbird "hello" vs the same through WorkerServer vs behind BearerTokenGuard.
# Loopback only, bounded duration. Usage: Benchmarks/run-runtime.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
connections=${2:-64}
command -v wrk >/dev/null || { echo "wrk is required: apt-get install wrk" >&2; exit 1; }
swift build -c release --scratch-path .build-release --product runtime-benchmark >/dev/null
bin=$(swift build -c release --scratch-path .build-release --show-bin-path)/runtime-benchmark

run() { # mode port [header]
    local mode=$1 port=$2; shift 2
    "$bin" "$mode" "$port" & local pid=$!
    for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
    wrk -t2 -c"$connections" -d"${duration}s" --latency "$@" "http://127.0.0.1:$port/hello" > "/tmp/wrk-$mode.txt"
    kill -INT "$pid"; wait "$pid" 2>/dev/null || true
    local rps p50 p99
    rps=$(awk '/Requests\/sec/ {print $2}' "/tmp/wrk-$mode.txt")
    p50=$(awk '$1=="50%" {print $2}' "/tmp/wrk-$mode.txt")
    p99=$(awk '$1=="99%" {print $2}' "/tmp/wrk-$mode.txt")
    printf '%-8s %12s req/s   p50 %8s   p99 %8s\n' "$mode" "$rps" "$p50" "$p99"
    echo "$mode $rps $p99" >> /tmp/wrk-summary.txt
}

rm -f /tmp/wrk-summary.txt
echo "wrk -t2 -c$connections -d${duration}s on 127.0.0.1 (release build)"
run engine 18081
run worker 18082
run bearer 18083 -H "Authorization: Bearer bench-token"
python3 - <<'PY'
rows = {l.split()[0]: l.split()[1:] for l in open('/tmp/wrk-summary.txt')}
def ms(v):
    return float(v[:-2]) if v.endswith('ms') else float(v[:-2]) / 1000 if v.endswith('us') else float(v[:-1]) * 1000
e, w, b = (float(rows[m][0]) for m in ('engine', 'worker', 'bearer'))
print(f"worker/engine throughput: {w / e:.2f}   (target >= 0.90)")
print(f"bearer/engine throughput: {b / e:.2f}")
print(f"worker/engine p99:        {ms(rows['worker'][1]) / ms(rows['engine'][1]):.2f}   (target <= 1.5)")
PY
