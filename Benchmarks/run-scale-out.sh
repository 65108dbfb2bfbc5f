#!/usr/bin/env bash
# Scale-out benchmark: the protected call and the refresh grant, measured side by side in one run, on
#   sqlite     one instance on a SQLiteKV file (the reference);
#   pg         one instance on PostgresKV, every call reading the token from the database;
#   pg-cached  one instance on PostgresKV with verifiedTokenCacheTTL = 1 s (github-mcp's setting on PostgreSQL);
#   nginx      two pg-cached instances behind nginx round robin (upstream keepalive), on the same database.
# Starts a throwaway PostgreSQL (Benchmarks/lib/throwaway-postgres.sh) and its own nginx (foreground, one process).
# Loopback only, bounded. Usage: Benchmarks/run-scale-out.sh [seconds] [connections]   (ROUNDS, default 2)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-8}
connections=${2:-64}
threads=2
rounds=${ROUNDS:-2}
refresh_grants=256
command -v wrk >/dev/null || { echo "wrk is required: apt-get install wrk" >&2; exit 1; }
nginx_bin=$(command -v nginx || ls /usr/sbin/nginx 2>/dev/null || true)
[ -n "$nginx_bin" ] || { echo "nginx is required: apt-get install nginx" >&2; exit 1; }
swift build -c release --scratch-path .build-release --product oauth-benchmark >/dev/null
bench=$(swift build -c release --scratch-path .build-release --show-bin-path)/oauth-benchmark
work=$(mktemp -d /tmp/scale-out-bench.XXXXXX)
pids=()
trap 'for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; pg_cleanup 2>/dev/null || true' EXIT
. Benchmarks/lib/throwaway-postgres.sh
echo "PostgreSQL $PG_VERSION at 127.0.0.1:$pg_port (throwaway, default settings); nginx $("$nginx_bin" -v 2>&1 | sed 's/.*\///')"

sqlite_port=18101 pg_port_direct=18102 pg_cached_port=18103 nginx_port=18104 upstream_a=18105 upstream_b=18106
results=$work/results
mkdir -p "$results" "$work/nginx/logs" "$work/nginx/temp"

. Benchmarks/lib/wrk.sh

# Tokens are bound to the origin clients call: each variant mints its own, for its own port.
"$bench" mint "$sqlite_port" "$work/kv-sqlite" "$work/out-sqlite" 0 "$refresh_grants" >/dev/null
for variant in pg:$pg_port_direct pg-cached:$pg_cached_port nginx:$nginx_port; do
    "$bench" mint "${variant#*:}" "$PG_URL" "$work/out-${variant%%:*}" 0 "$refresh_grants" >/dev/null
done

"$bench" serve "$sqlite_port" "$work/kv-sqlite" & pids+=($!)
"$bench" serve "$pg_port_direct" "$PG_URL" & pids+=($!)
"$bench" serve "$pg_cached_port" "$PG_URL" --token-cache-ms 1000 & pids+=($!)
"$bench" serve "$nginx_port" "$PG_URL" --listen "$upstream_a" --token-cache-ms 1000 & pids+=($!)
"$bench" serve "$nginx_port" "$PG_URL" --listen "$upstream_b" --token-cache-ms 1000 & pids+=($!)
cat > "$work/nginx/nginx.conf" <<CONF
master_process off;
daemon off;
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $work/nginx/temp/body;
    proxy_temp_path $work/nginx/temp/proxy;
    fastcgi_temp_path $work/nginx/temp/fastcgi;
    uwsgi_temp_path $work/nginx/temp/uwsgi;
    scgi_temp_path $work/nginx/temp/scgi;
    upstream bench { server 127.0.0.1:$upstream_a; server 127.0.0.1:$upstream_b; keepalive 64; }
    server {
        listen 127.0.0.1:$nginx_port;
        location / {
            proxy_pass http://bench;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$http_host;
        }
    }
}
CONF
"$nginx_bin" -p "$work/nginx" -c "$work/nginx/nginx.conf" & pids+=($!)
for port in $sqlite_port $pg_port_direct $pg_cached_port $upstream_a $upstream_b $nginx_port; do wait_for "$port"; done
echo "wrk -t$threads -c$connections -d${duration}s on 127.0.0.1 (release build), $rounds rounds"

port_of() { case $1 in sqlite) echo $sqlite_port ;; pg) echo $pg_port_direct ;; pg-cached) echo $pg_cached_port ;; nginx) echo $nginx_port ;; esac; }
for round in $(seq 1 "$rounds"); do
    for variant in sqlite pg pg-cached nginx; do
        measure "api-$variant#$round" "http://127.0.0.1:$(port_of $variant)/mcp" -H "Authorization: Bearer $(cat "$work/out-$variant/access-token")"
    done
    for variant in sqlite pg nginx; do
        measure "refresh-$variant#$round" "http://127.0.0.1:$(port_of $variant)/token" -s Benchmarks/wrk/post-bodies.lua -- \
            "$work/out-$variant/refresh-bodies.txt" "$threads" 1 "$(cat "$work/out-$variant/client-authorization")"
    done
done

python3 - "$results/summary.txt" <<'PY'
import sys
rows = {l.split()[0]: l.split()[1:] for l in open(sys.argv[1])}
rate = {name: float(row[0]) for name, row in rows.items()}
rounds = sorted({name.split("#")[1] for name in rate})
def ratio(name, reference):
    values = [rate[f"{name}#{r}"] / rate[f"{reference}#{r}"] for r in rounds]
    return sum(values) / len(values), values
for kind, variants in [("api", ["pg", "pg-cached", "nginx"]), ("refresh", ["pg", "nginx"])]:
    for variant in variants:
        mean, values = ratio(f"{kind}-{variant}", f"{kind}-sqlite")
        print(f"{kind + ' ' + variant + '/sqlite:':28}{mean:.2f}   by round: " + ", ".join(f"{v:.2f}" for v in values))
failed = {name: row[3] for name, row in rows.items() if row[3] != "0"}
print("every request answered 2xx" if not failed else f"NON-2xx responses: {failed}")
PY
