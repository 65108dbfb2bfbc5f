#!/usr/bin/env bash
# PostgresKV get/put vs the same prepared statements through postgres-nio directly (Benchmarks/PostgresKVBenchmark).
# Starts a throwaway PostgreSQL server of its own (initdb into a temp directory, 127.0.0.1 only, default settings:
# fsync and synchronous_commit on) and deletes it afterwards. Bounded: rounds x seconds per variant.
# Usage: Benchmarks/run-postgres-kv.sh [seconds-per-variant] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-2}
rounds=${2:-3}

bindir=""
for dir in $(dirname "$(readlink -f "$(command -v postgres 2>/dev/null || echo /nonexistent)")") \
    $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -rn); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/postgres" ] && [ -x "$dir/pg_isready" ]; then bindir=$dir; break; fi
done
[ -n "$bindir" ] || { echo "PostgreSQL not found: apt-get install postgresql" >&2; exit 1; }

swift build -c release --scratch-path .build-release --product postgres-kv-benchmark >/dev/null 2>&1 \
    || swift build -c release --scratch-path .build-release --product postgres-kv-benchmark
bin=$(swift build -c release --scratch-path .build-release --show-bin-path 2>/dev/null)/postgres-kv-benchmark

as_server=()
tmp_root=${TMPDIR:-/tmp}
if [ "$(id -u)" = 0 ]; then
    user=postgres; id "$user" >/dev/null 2>&1 || user=nobody
    as_server=(setpriv --reuid="$(id -u "$user")" --regid="$(id -g "$user")" --clear-groups --)
    tmp_root=/tmp
fi
dir=$(mktemp -d "$tmp_root/pg-kv-bench.XXXXXX")
[ ${#as_server[@]} -eq 0 ] || chown "$user" "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pid=""
cleanup() {
    if [ -n "$pid" ]; then kill -INT "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    rm -rf "$dir"
}
trap cleanup EXIT

(cd "$dir" && "${as_server[@]}" "$bindir/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C >"$dir/initdb.log" 2>&1) \
    || { cat "$dir/initdb.log" >&2; exit 1; }
(cd "$dir" && exec "${as_server[@]}" "$bindir/postgres" -D "$dir/data" -p "$port" -k "$dir" -c listen_addresses=127.0.0.1 \
    >"$dir/server.log" 2>&1) &
pid=$!
for _ in $(seq 1 100); do "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" && break; sleep 0.1; done
"$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" || { cat "$dir/server.log" >&2; exit 1; }

echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') at 127.0.0.1:$port (throwaway, default settings); release build"
"$bin" "postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable" --seconds "$seconds" --rounds "$rounds"
