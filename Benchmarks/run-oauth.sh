#!/usr/bin/env bash
# OAuth provider benchmark on a SQLiteKV file, against the bare runtime "hello" in the same run:
#   hello    GET /hello through WorkerServer (runtime-benchmark worker), the reference;
#   api      GET /mcp with a valid access token (hash, KV read, audience check, props decryption), answering
#            "hello <user from props>" like hello's handler, so the difference is the provider's work;
#   api-json GET /mcp/json, the same with a JSONEncoder-encoded answer (a typical handler; no target);
#   refresh  POST /token grant_type=refresh_token (a pool of refresh tokens, each presented repeatedly);
#   code     POST /token grant_type=authorization_code with PKCE (pre-minted single-use codes, each sent once).
# Loopback only, bounded duration. Usage: Benchmarks/run-oauth.sh [seconds] [connections]
# CODES overrides how many codes are pre-minted (default 8000 per second of run); ROUNDS how many hello/api pairs
# run, alternating (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
connections=${2:-64}
threads=2
rounds=${ROUNDS:-2}
codes=${CODES:-$((duration * 8000))}
refresh_grants=256
oauth_port=18091
hello_port=18092
command -v wrk >/dev/null || { echo "wrk is required: apt-get install wrk" >&2; exit 1; }
for product in oauth-benchmark runtime-benchmark; do
    swift build -c release --scratch-path .build-release --product "$product" >/dev/null
done
bindir=$(swift build -c release --scratch-path .build-release --show-bin-path)
work=$(mktemp -d /tmp/oauth-bench.XXXXXX)
pids=()
trap 'for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"' EXIT
results=$work/results
mkdir -p "$results"

wait_for() { # port
    for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0; sleep 0.1; done
    echo "server on port $1 did not start" >&2; exit 1
}

measure() { # name url wrk-arguments...
    local name=$1 url=$2; shift 2
    # The URL comes before the options: a wrk script's arguments follow "--" at the end.
    wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "$url" "$@" > "$results/$name.txt" 2> "$results/$name.err"
    local rps p50 p99 bad
    rps=$(awk '/Requests\/sec/ {print $2}' "$results/$name.txt")
    p50=$(awk '$1=="50%" {print $2}' "$results/$name.txt")
    p99=$(awk '$1=="99%" {print $2}' "$results/$name.txt")
    bad=$(awk '/^non-2xx:/ {print $2}' "$results/$name.txt") # the Lua script's count
    if [ -z "$bad" ]; then bad=$(awk '/Non-2xx or 3xx responses:/ {print $5}' "$results/$name.txt"); fi
    bad=${bad:-0}
    if grep -q '^exhausted: [1-9]' "$results/$name.txt"; then
        echo "$name: ran out of pre-minted bodies; raise CODES" >&2
        bad="$bad+exhausted"
    fi
    printf '%-8s %12s req/s   p50 %8s   p99 %8s   non-2xx %s\n' "$name" "$rps" "$p50" "$p99" "$bad"
    head -3 "$results/$name.err" >&2 || true
    echo "$name $rps $p50 $p99 $bad" >> "$results/summary.txt"
}

echo "minting $codes codes and $refresh_grants refresh grants on a fresh SQLiteKV file ($work/kv)"
"$bindir/oauth-benchmark" mint "$oauth_port" "$work/kv" "$work/out" "$codes" "$refresh_grants"
echo "wrk -t$threads -c$connections -d${duration}s on 127.0.0.1 (release build)"

"$bindir/runtime-benchmark" worker "$hello_port" & hello_pid=$!; pids+=("$hello_pid")
"$bindir/oauth-benchmark" serve "$oauth_port" "$work/kv" & oauth_pid=$!; pids+=("$oauth_pid")
wait_for "$hello_port"
wait_for "$oauth_port"
bearer="Authorization: Bearer $(cat "$work/out/access-token")"
authorization=$(cat "$work/out/client-authorization")
# hello and api alternate, so a change in the machine's load shows in both of a pair rather than in the ratio.
for round in $(seq 1 "$rounds"); do
    measure "hello#$round" "http://127.0.0.1:$hello_port/hello"
    measure "api#$round" "http://127.0.0.1:$oauth_port/mcp" -H "$bearer"
done
measure api-json "http://127.0.0.1:$oauth_port/mcp/json" -H "$bearer"
measure refresh "http://127.0.0.1:$oauth_port/token" -s Benchmarks/wrk/post-bodies.lua -- \
    "$work/out/refresh-bodies.txt" "$threads" 1 "$authorization"
measure code "http://127.0.0.1:$oauth_port/token" -s Benchmarks/wrk/post-bodies.lua -- \
    "$work/out/code-bodies.txt" "$threads" 0 "$authorization"
kill -INT "$hello_pid" "$oauth_pid"; wait "$hello_pid" "$oauth_pid" 2>/dev/null || true
ls -l "$work/kv"/OAUTH_KV.sqlite* | awk '{print "kv file", $NF, $5, "bytes"}'

if [ -n "${KEEP_RESULTS:-}" ]; then mkdir -p "$KEEP_RESULTS" && cp "$results"/* "$KEEP_RESULTS"/; fi
python3 - "$results/summary.txt" <<'PY'
import sys
rows = {l.split()[0]: l.split()[1:] for l in open(sys.argv[1])}
rate = {name: float(row[0]) for name, row in rows.items()}
pairs = sorted(name.split("#")[1] for name in rate if name.startswith("hello#"))
ratios = [rate[f"api#{r}"] / rate[f"hello#{r}"] for r in pairs]
print("api/hello throughput by round: " + ", ".join(f"{ratio:.2f}" for ratio in ratios))
print(f"api/hello throughput: {sum(ratios) / len(ratios):.2f}   (mean of the rounds; target >= 0.50)")
print(f"api-json/hello:       {rate['api-json'] / (sum(rate[f'hello#{r}'] for r in pairs) / len(pairs)):.2f}   (a JSON-encoding handler; no target)")
print(f"refresh grants:       {rate['refresh']:,.0f}/s   (target >= 2,000/s)")
print(f"code exchanges:       {rate['code']:,.0f}/s   (target >= 2,000/s)")
failed = {name: row[3] for name, row in rows.items() if row[3] != "0"}
print("every request answered 2xx" if not failed else f"NON-2xx responses: {failed}")
PY
