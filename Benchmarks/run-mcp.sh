#!/usr/bin/env bash
# The MCP request path, side by side in one run (ratios, not absolute figures):
#   hello      GET /hello on a bare Hummingbird router (runtime-benchmark engine), the physical reference;
#   api-json   GET /mcp/json through the OAuth provider with a valid token, answering a small JSON document
#              (oauth-benchmark, as in run-oauth.sh): a protected JSON API call;
#   mcp-json   POST /mcp tools/call whoami through github-mcp (its OAuth provider, a real session opened by the
#              official Python MCP SDK's OAuth client), JSON responses;
#   mcp-sse    the same with event-stream responses (the Streamable HTTP default);
#   python-sdk the same tools/call on the Python MCP SDK's own server (mcp 2.x MCPServer, bearer-token auth),
#              when the Python environment has the SDK.
#   mcp-json-base  the mcp-json row on another build's github-mcp, when BASELINE_BINDIR names its release bin
#              directory (the before of a change, in the same run).
# Every tools/call carries an id no other request uses. Loopback only, bounded duration.
# Usage: Benchmarks/run-mcp.sh [seconds] [connections]   (ROUNDS, default 2; MCP_PYTHON, default .venv-ci/bin/python)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
connections=${2:-32}
threads=2
rounds=${ROUNDS:-2}
python=${MCP_PYTHON:-.venv-ci/bin/python}
hello_port=18111 api_port=18112 json_port=18113 sse_port=18114 py_port=18115 base_port=18116
baseline=${BASELINE_BINDIR:-}
command -v wrk >/dev/null || { echo "wrk is required: apt-get install wrk" >&2; exit 1; }
for product in github-mcp oauth-benchmark runtime-benchmark; do
    swift build -c release --scratch-path .build-release --product "$product" >/dev/null
done
bindir=$(swift build -c release --scratch-path .build-release --show-bin-path)
work=$(mktemp -d /tmp/mcp-bench.XXXXXX)
pids=()
trap 'for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"' EXIT
results=$work/results
mkdir -p "$results"
. Benchmarks/lib/wrk.sh

"$bindir/runtime-benchmark" engine "$hello_port" & pids+=($!)
"$bindir/oauth-benchmark" mint "$api_port" "$work/kv" "$work/out" 10 4 >/dev/null
"$bindir/oauth-benchmark" serve "$api_port" "$work/kv" & pids+=($!)
cat > "$work/wrangler.toml" <<'TOML'
name = "github-mcp"
compatibility_date = "2025-04-01"

[[kv_namespaces]]
binding = "OAUTH_KV"
id = "github-mcp-oauth"
TOML
serve_github_mcp() { # binary port mode name
    # No GitHub credentials: the built-in development identity signs the benchmark user in.
    (cd "$work" && exec env -u GITHUB_CLIENT_ID -u GITHUB_CLIENT_SECRET "$1" serve --config "$work/wrangler.toml" \
        --persist-to "$work/state-$4" --ip 127.0.0.1 --port "$2" --var "MCP_RESPONSE_MODE:$3" \
        > "$work/github-mcp-$4.log" 2>&1) & pids+=($!)
}
serve_github_mcp "$bindir/github-mcp" "$json_port" json json
serve_github_mcp "$bindir/github-mcp" "$sse_port" sse sse
if [ -n "$baseline" ]; then serve_github_mcp "$baseline/github-mcp" "$base_port" json base; fi
have_python_sdk=""
if "$python" -c "import mcp.server.mcpserver" 2>/dev/null; then
    have_python_sdk=1
    "$python" Benchmarks/mcp/python_sdk_server.py "$py_port" bench-token > "$work/python-sdk.log" 2>&1 & pids+=($!)
fi
for port in $hello_port $api_port $json_port $sse_port; do wait_for "$port"; done
[ -n "$have_python_sdk" ] && wait_for "$py_port"
[ -n "$baseline" ] && wait_for "$base_port"

session() { # mode url [token]: prints "TOKEN SESSION"
    "$python" Benchmarks/mcp/open_session.py "$@" | paste -sd' '
}
read -r json_token json_session <<<"$(session oauth "http://127.0.0.1:$json_port/mcp")"
read -r sse_token sse_session <<<"$(session oauth "http://127.0.0.1:$sse_port/mcp")"
if [ -n "$baseline" ]; then read -r base_token base_session <<<"$(session oauth "http://127.0.0.1:$base_port/mcp")"; fi
if [ -n "$have_python_sdk" ]; then read -r py_token py_session <<<"$(session bearer "http://127.0.0.1:$py_port/mcp" bench-token)"; fi
api_bearer="Authorization: Bearer $(cat "$work/out/access-token")"
echo "wrk -t$threads -c$connections -d${duration}s on 127.0.0.1 (release build), $rounds rounds"

for round in $(seq 1 "$rounds"); do
    measure "hello#$round" "http://127.0.0.1:$hello_port/hello"
    measure "api-json#$round" "http://127.0.0.1:$api_port/mcp/json" -H "$api_bearer"
    measure "mcp-json#$round" "http://127.0.0.1:$json_port/mcp" -s Benchmarks/wrk/mcp-call.lua -- "$json_token" "$json_session"
    measure "mcp-sse#$round" "http://127.0.0.1:$sse_port/mcp" -s Benchmarks/wrk/mcp-call.lua -- "$sse_token" "$sse_session"
    if [ -n "$baseline" ]; then
        measure "mcp-json-base#$round" "http://127.0.0.1:$base_port/mcp" -s Benchmarks/wrk/mcp-call.lua -- "$base_token" "$base_session"
    fi
    if [ -n "$have_python_sdk" ]; then
        measure "python-sdk#$round" "http://127.0.0.1:$py_port/mcp" -s Benchmarks/wrk/mcp-call.lua -- "$py_token" "$py_session"
    fi
done
for pid in "${pids[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
pids=()

if [ -n "${KEEP_RESULTS:-}" ]; then mkdir -p "$KEEP_RESULTS" && cp "$results"/* "$KEEP_RESULTS"/; fi
python3 - "$results/summary.txt" <<'PY'
import sys
rows = {l.split()[0]: l.split()[1:] for l in open(sys.argv[1])}
def ms(v):
    return float(v[:-2]) if v.endswith("ms") else float(v[:-2]) / 1000 if v.endswith("us") else float(v[:-1]) * 1000
rounds = sorted({name.split("#")[1] for name in rows})
def ratio(a, b, column=0, convert=float):
    values = [convert(rows[f"{a}#{r}"][column]) / convert(rows[f"{b}#{r}"][column]) for r in rounds]
    return f"{sum(values) / len(values):.2f}   by round: " + ", ".join(f"{v:.2f}" for v in values)
print(f"api-json/hello throughput:        {ratio('api-json', 'hello')}   (target >= 0.5)")
print(f"tools/call json/api-json:         {ratio('mcp-json', 'api-json')}   (target >= 0.5)")
print(f"tools/call sse/api-json:          {ratio('mcp-sse', 'api-json')}")
print(f"tools/call json p99 / api-json:   {ratio('mcp-json', 'api-json', 2, ms)}   (target <= 2)")
if f"python-sdk#{rounds[0]}" in rows:
    print(f"tools/call json/python-sdk:       {ratio('mcp-json', 'python-sdk')}   (target >= 10)")
if f"mcp-json-base#{rounds[0]}" in rows:
    print(f"tools/call json, this/baseline:   {ratio('mcp-json', 'mcp-json-base')}")
    print(f"baseline tools/call / api-json:   {ratio('mcp-json-base', 'api-json')}")
failed = {name: row[3] for name, row in rows.items() if row[3] != "0"}
print("every request answered 2xx with a result" if not failed else f"FAILED RESPONSES: {failed}")
PY
