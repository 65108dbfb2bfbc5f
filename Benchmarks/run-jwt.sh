#!/usr/bin/env bash
# One authorization server, several resource servers: the protected call with each kind of access token, side by
# side in one run against the bare runtime "hello" (the reference):
#   hello         GET /hello through WorkerServer (runtime-benchmark worker);
#   opaque        GET /mcp on the provider with an opaque token (hash, KV read, audience, props decryption);
#   jwt-here      GET /mcp on a provider whose /mcp has JWT access tokens (it checks its own JWTs against the store:
#                 the JWT's claims are decoded to locate the record, then the same work as opaque);
#   jwt-offline   GET /hello behind OAuthResourceServer with one JWT, checked offline against the AS's JWK Set
#                 (repeat calls: the verified-JWT cache; resource-server-benchmark);
#   introspect    POST /introspect on the provider (RFC 7662, client_secret_basic, one opaque token).
# Then, in process: the first-call cost of verifying a new ES256 JWT, and a repeat check.
# Loopback only, bounded duration. Usage: Benchmarks/run-jwt.sh [seconds] [connections]; ROUNDS (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
connections=${2:-64}
threads=2
rounds=${ROUNDS:-2}
opaque_port=18101
jwt_port=18102
hello_port=18103
rs_port=18104
command -v wrk >/dev/null || { echo "wrk is required: apt-get install wrk" >&2; exit 1; }
for product in oauth-benchmark runtime-benchmark resource-server-benchmark; do
    swift build -c release --scratch-path .build-release --product "$product" >/dev/null
done
bindir=$(swift build -c release --scratch-path .build-release --show-bin-path)
work=$(mktemp -d /tmp/jwt-bench.XXXXXX)
pids=()
trap 'for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"' EXIT
results=$work/results
mkdir -p "$results"
. Benchmarks/lib/wrk.sh

"$bindir/oauth-benchmark" mint "$opaque_port" "$work/kv-opaque" "$work/out-opaque" 0 1 >/dev/null
"$bindir/oauth-benchmark" mint "$jwt_port" "$work/kv-jwt" "$work/out-jwt" 0 1 --jwt 1 >/dev/null
# One body for each wrk thread (each thread takes its own lines), the same token: introspection changes nothing.
for _ in $(seq 1 "$threads"); do cat "$work/out-opaque/introspect-body.txt"; done > "$work/introspect-bodies.txt"
"$bindir/runtime-benchmark" worker "$hello_port" & pids+=($!)
"$bindir/oauth-benchmark" serve "$opaque_port" "$work/kv-opaque" & pids+=($!)
"$bindir/oauth-benchmark" serve "$jwt_port" "$work/kv-jwt" --jwt 1 & pids+=($!)
"$bindir/resource-server-benchmark" protected "$rs_port" "$work/rs-token" & pids+=($!)
for port in $hello_port $opaque_port $jwt_port $rs_port; do wait_for "$port"; done
echo "wrk -t$threads -c$connections -d${duration}s on 127.0.0.1 (release build), $rounds rounds"
for round in $(seq 1 "$rounds"); do
    measure "hello#$round" "http://127.0.0.1:$hello_port/hello"
    measure "opaque#$round" "http://127.0.0.1:$opaque_port/mcp" -H "Authorization: Bearer $(cat "$work/out-opaque/access-token")"
    measure "jwt-here#$round" "http://127.0.0.1:$jwt_port/mcp" -H "Authorization: Bearer $(cat "$work/out-jwt/access-token")"
    measure "jwt-offline#$round" "http://127.0.0.1:$rs_port/hello" -H "Authorization: Bearer $(cat "$work/rs-token")"
    measure "introspect#$round" "http://127.0.0.1:$opaque_port/introspect" -s Benchmarks/wrk/post-bodies.lua -- \
        "$work/introspect-bodies.txt" "$threads" 1 "$(cat "$work/out-opaque/client-authorization")"
done
for pid in "${pids[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
pids=()

python3 - "$results/summary.txt" <<'PY'
import sys
rows = {l.split()[0]: l.split()[1:] for l in open(sys.argv[1])}
rate = {name: float(row[0]) for name, row in rows.items()}
rounds = sorted({name.split("#")[1] for name in rate})
def ratios(name): return [rate[f"{name}#{r}"] / rate[f"hello#{r}"] for r in rounds]
for name, what in [("opaque", "opaque token, checked here"), ("jwt-here", "JWT, checked here against the store"),
                   ("jwt-offline", "JWT, checked offline by OAuthResourceServer (target >= 0.60)")]:
    by_round = ratios(name)
    print(f"{name + '/hello:':18}{sum(by_round) / len(by_round):.2f}   by round: " + ", ".join(f"{x:.2f}" for x in by_round) + f"   ({what})")
intro = [rate[f"introspect#{r}"] for r in rounds]
print(f"introspections:   {sum(intro) / len(intro):,.0f}/s   ({sum(i / rate[f'hello#{r}'] for i, r in zip(intro, rounds)) / len(rounds):.2f} of hello)")
failed = {name: row[3] for name, row in rows.items() if row[3] != "0"}
print("every request answered 2xx" if not failed else f"NON-2xx responses: {failed}")
PY
"$bindir/resource-server-benchmark" verify 2000
