#!/usr/bin/env bash
# The cost of metrics on the protected call: the OAuth provider's GET /mcp with a valid access token, served by two
# oauth-benchmark processes on one SQLiteKV store, one without metrics and one with `metricsListen` set (every request
# counted and timed, every KV operation timed, the scrape listener open), measured in alternating rounds with wrk.
# Loopback only, bounded duration. Usage: Benchmarks/run-metrics.sh [seconds] [connections]; ROUNDS (default 3).
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
connections=${2:-64}
threads=2
rounds=${ROUNDS:-3}
issuer_port=18191   # the port tokens are bound to; both servers are reached with this Host
off_port=18192
on_port=18193
metrics_port=18194
command -v wrk >/dev/null || { echo "wrk is required: apt-get install wrk" >&2; exit 1; }
swift build -c release --scratch-path .build-release --product oauth-benchmark >/dev/null
bindir=$(swift build -c release --scratch-path .build-release --show-bin-path)
work=$(mktemp -d /tmp/metrics-bench.XXXXXX)
pids=()
trap 'for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"' EXIT
results=$work/results
mkdir -p "$results"
. Benchmarks/lib/wrk.sh

"$bindir/oauth-benchmark" mint "$issuer_port" "$work/kv" "$work/out" 0 1
"$bindir/oauth-benchmark" serve "$issuer_port" "$work/kv" --listen "$off_port" & pids+=($!)
"$bindir/oauth-benchmark" serve "$issuer_port" "$work/kv" --listen "$on_port" --metrics-port "$metrics_port" & pids+=($!)
wait_for "$off_port"
wait_for "$on_port"
echo "wrk -t$threads -c$connections -d${duration}s on 127.0.0.1 (release build)"
bearer="Authorization: Bearer $(cat "$work/out/access-token")"
host="Host: 127.0.0.1:$issuer_port"
for round in $(seq 1 "$rounds"); do
    measure "api-off#$round" "http://127.0.0.1:$off_port/mcp" -H "$bearer" -H "$host"
    measure "api-on#$round" "http://127.0.0.1:$on_port/mcp" -H "$bearer" -H "$host"
done
curl -s "http://127.0.0.1:$metrics_port/metrics" | grep -E '^workers_http_requests_total|^workers_kv_operation_duration_seconds_count' || true
python3 - "$results/summary.txt" <<'PY'
import sys
rows = {l.split()[0]: l.split()[1:] for l in open(sys.argv[1])}
rate = {name: float(row[0]) for name, row in rows.items()}
rounds = sorted({name.split("#")[1] for name in rate})
ratios = [rate[f"api-on#{r}"] / rate[f"api-off#{r}"] for r in rounds]
print("api metrics-on/off throughput by round: " + ", ".join(f"{ratio:.3f}" for ratio in ratios))
print(f"api metrics-on/off throughput: {sum(ratios) / len(ratios):.3f}   (mean of the rounds)")
failed = {name: row[3] for name, row in rows.items() if row[3] != "0"}
print("every request answered 2xx" if not failed else f"NON-2xx responses: {failed}")
PY
