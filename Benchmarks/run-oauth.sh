#!/usr/bin/env bash
# OAuth provider benchmark on a SQLiteKV file, against the bare runtime "hello" in the same run:
#   hello    GET /hello through WorkerServer (runtime-benchmark worker), the reference;
#   api      GET /mcp with a valid access token (hash, KV read, audience check, props decryption), answering
#            "hello <user from props>" like hello's handler, so the difference is the provider's work;
#   api-json GET /mcp/json, the same with a JSONEncoder-encoded answer (a typical handler; no target);
#   refresh  POST /token grant_type=refresh_token (a pool of refresh tokens, each presented repeatedly);
#   code     POST /token grant_type=authorization_code with PKCE (pre-minted single-use codes, each sent once).
# Loopback only, bounded duration. Usage: Benchmarks/run-oauth.sh [seconds] [connections]
# CODES overrides how many codes are pre-minted per round (default 8000 per second of run); ROUNDS how many rounds
# run, alternating (default 2).
# BASELINE_BINDIR=DIR (a release bin directory of another commit, holding its oauth-benchmark and runtime-benchmark)
# also serves that build, and measures its hello, api, refresh and code rows beside this build's in the same rounds:
# the summary then gives this build's rates as ratios of the baseline's.
# POSTGRES=1 also serves this build on PostgresKV (a throwaway server started here, Benchmarks/lib/throwaway-postgres.sh)
# and measures its api, refresh and code rows in the same rounds, beside SQLite.
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
base_port=18093
pg_port_oauth=18095
baseline=${BASELINE_BINDIR:-}
postgres=${POSTGRES:-}
command -v wrk >/dev/null || { echo "wrk is required: apt-get install wrk" >&2; exit 1; }
for product in oauth-benchmark runtime-benchmark; do
    swift build -c release --scratch-path .build-release --product "$product" >/dev/null
done
bindir=$(swift build -c release --scratch-path .build-release --show-bin-path)
work=$(mktemp -d /tmp/oauth-bench.XXXXXX)
pids=()
trap 'for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; pg_cleanup 2>/dev/null || true' EXIT
if [ -n "$postgres" ]; then
    . Benchmarks/lib/throwaway-postgres.sh
    echo "PostgreSQL $PG_VERSION at 127.0.0.1:$pg_port (throwaway, default settings: every commit is a WAL flush)"
fi
results=$work/results
mkdir -p "$results"

. Benchmarks/lib/wrk.sh

# builds: "new" is this tree on SQLite; "base" the baseline, when given; "pg" this tree on PostgreSQL, when asked.
builds="new"
[ -n "$baseline" ] && builds="$builds base"
[ -n "$postgres" ] && builds="$builds pg"
binary() { [ "$1" = base ] && echo "$baseline/oauth-benchmark" || echo "$bindir/oauth-benchmark"; }
port() { case $1 in base) echo "$base_port" ;; pg) echo "$pg_port_oauth" ;; *) echo "$oauth_port" ;; esac; }
suffix() { case $1 in base) echo "-base" ;; pg) echo "-pg" ;; *) echo "" ;; esac; }
store() { [ "$1" = pg ] && echo "$PG_URL" || echo "$work/kv-$1"; }

for build in $builds; do
    echo "minting $((codes * rounds)) codes and $refresh_grants refresh grants for the $build build ($(store "$build"))"
    "$(binary "$build")" mint "$(port "$build")" "$(store "$build")" "$work/out-$build" "$((codes * rounds))" "$refresh_grants"
    # One file of code bodies per round, so no code is sent twice.
    split -n "l/$rounds" -d -a 1 "$work/out-$build/code-bodies.txt" "$work/out-$build/codes-round-"
done
echo "wrk -t$threads -c$connections -d${duration}s on 127.0.0.1 (release build)"

"$bindir/runtime-benchmark" worker "$hello_port" & pids+=($!)
hello_base_port=18094
if [ -n "$baseline" ]; then "$baseline/runtime-benchmark" worker "$hello_base_port" & pids+=($!); fi
for build in $builds; do
    "$(binary "$build")" serve "$(port "$build")" "$(store "$build")" & pids+=($!)
done
wait_for "$hello_port"
if [ -n "$baseline" ]; then wait_for "$hello_base_port"; fi
for build in $builds; do wait_for "$(port "$build")"; done

# Every row of a round runs before the next round, so a change in the machine's load shows in all of a round's
# rows rather than in their ratios.
for round in $(seq 1 "$rounds"); do
    measure "hello#$round" "http://127.0.0.1:$hello_port/hello"
    if [ -n "$baseline" ]; then measure "hello-base#$round" "http://127.0.0.1:$hello_base_port/hello"; fi
    for build in $builds; do
        bearer="Authorization: Bearer $(cat "$work/out-$build/access-token")"
        measure "api$(suffix "$build")#$round" "http://127.0.0.1:$(port "$build")/mcp" -H "$bearer"
    done
    for build in $builds; do
        measure "refresh$(suffix "$build")#$round" "http://127.0.0.1:$(port "$build")/token" -s Benchmarks/wrk/post-bodies.lua -- \
            "$work/out-$build/refresh-bodies.txt" "$threads" 1 "$(cat "$work/out-$build/client-authorization")"
        measure "code$(suffix "$build")#$round" "http://127.0.0.1:$(port "$build")/token" -s Benchmarks/wrk/post-bodies.lua -- \
            "$work/out-$build/codes-round-$((round - 1))" "$threads" 0 "$(cat "$work/out-$build/client-authorization")"
    done
done
measure api-json "http://127.0.0.1:$oauth_port/mcp/json" -H "Authorization: Bearer $(cat "$work/out-new/access-token")"
for pid in "${pids[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done  # not the PostgreSQL server, which pg_cleanup stops
pids=()
ls -l "$work/kv-new"/OAUTH_KV.sqlite* | awk '{print "kv file", $NF, $5, "bytes"}'

if [ -n "${KEEP_RESULTS:-}" ]; then mkdir -p "$KEEP_RESULTS" && cp "$results"/* "$KEEP_RESULTS"/; fi
python3 - "$results/summary.txt" <<'PY'
import sys
rows = {l.split()[0]: l.split()[1:] for l in open(sys.argv[1])}
rate = {name: float(row[0]) for name, row in rows.items()}
rounds = sorted({name.split("#")[1] for name in rate if "#" in name})
def mean(name): return sum(rate[f"{name}#{r}"] for r in rounds) / len(rounds)
ratios = [rate[f"api#{r}"] / rate[f"hello#{r}"] for r in rounds]
print("api/hello throughput by round: " + ", ".join(f"{ratio:.2f}" for ratio in ratios))
print(f"api/hello throughput: {sum(ratios) / len(ratios):.2f}   (mean of the rounds)")
print(f"api-json/hello:       {rate['api-json'] / mean('hello'):.2f}   (a JSON-encoding handler)")
print(f"refresh grants:       {mean('refresh'):,.0f}/s   (mean of the rounds)")
print(f"code exchanges:       {mean('code'):,.0f}/s   (mean of the rounds)")
if f"api-pg#{rounds[0]}" in rate:
    pg = [rate[f"api-pg#{r}"] / rate[f"hello#{r}"] for r in rounds]
    print(f"PostgreSQL api/hello: {sum(pg) / len(pg):.2f}   (the protected call on PostgresKV)")
    print(f"PostgreSQL refresh:   {mean('refresh-pg'):,.0f}/s   code: {mean('code-pg'):,.0f}/s   (means of the rounds)")
    for name in ["api", "refresh", "code"]:
        by_round = [rate[f"{name}-pg#{r}"] / rate[f"{name}#{r}"] for r in rounds]
        print(f"{name + ' pg/sqlite:':22}{sum(by_round) / len(by_round):.2f}   by round: " + ", ".join(f"{x:.2f}" for x in by_round))
if f"api-base#{rounds[0]}" in rate:
    base = [rate[f"api-base#{r}"] / rate[f"hello-base#{r}"] for r in rounds]
    print(f"baseline api/hello:   {sum(base) / len(base):.2f}   (each build's api over its own hello)")
    for name in ["hello", "api", "refresh", "code"]:
        by_round = [rate[f"{name}#{r}"] / rate[f"{name}-base#{r}"] for r in rounds]
        print(f"{name + ' new/baseline:':22}{sum(by_round) / len(by_round):.2f}   by round: " + ", ".join(f"{x:.2f}" for x in by_round))
failed = {name: row[3] for name, row in rows.items() if row[3] != "0"}
print("every request answered 2xx" if not failed else f"NON-2xx responses: {failed}")
PY
