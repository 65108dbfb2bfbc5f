# Sourced by the benchmark scripts: starts a throwaway PostgreSQL server (initdb into a temp directory, 127.0.0.1
# only, default settings: fsync and synchronous_commit on), as the postgres user (or nobody) when run as root.
# Sets PG_URL, PG_VERSION; pg_cleanup stops the server and deletes its directory (call it from the caller's trap).
pg_bindir=""
for dir in $(dirname "$(readlink -f "$(command -v postgres 2>/dev/null || echo /nonexistent)")") \
    $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -rn); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/postgres" ] && [ -x "$dir/pg_isready" ]; then pg_bindir=$dir; break; fi
done
[ -n "$pg_bindir" ] || { echo "PostgreSQL not found: apt-get install postgresql" >&2; exit 1; }

pg_as_server=()
pg_tmp_root=${TMPDIR:-/tmp}
if [ "$(id -u)" = 0 ]; then
    pg_user=postgres; id "$pg_user" >/dev/null 2>&1 || pg_user=nobody
    pg_as_server=(setpriv --reuid="$(id -u "$pg_user")" --regid="$(id -g "$pg_user")" --clear-groups --)
    pg_tmp_root=/tmp
fi
pg_dir=$(mktemp -d "$pg_tmp_root/pg-bench.XXXXXX")
[ ${#pg_as_server[@]} -eq 0 ] || chown "$pg_user" "$pg_dir"
pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pg_pid=""
pg_cleanup() {
    if [ -n "$pg_pid" ]; then kill -INT "$pg_pid" 2>/dev/null || true; wait "$pg_pid" 2>/dev/null || true; fi
    pg_pid=""
    rm -rf "$pg_dir"
}

(cd "$pg_dir" && "${pg_as_server[@]}" "$pg_bindir/initdb" -D "$pg_dir/data" -A trust -U postgres -E UTF8 --locale=C \
    >"$pg_dir/initdb.log" 2>&1) || { cat "$pg_dir/initdb.log" >&2; exit 1; }
(cd "$pg_dir" && exec "${pg_as_server[@]}" "$pg_bindir/postgres" -D "$pg_dir/data" -p "$pg_port" -k "$pg_dir" \
    -c listen_addresses=127.0.0.1 >"$pg_dir/server.log" 2>&1) &
pg_pid=$!
for _ in $(seq 1 100); do "$pg_bindir/pg_isready" -q -h 127.0.0.1 -p "$pg_port" && break; sleep 0.1; done
"$pg_bindir/pg_isready" -q -h 127.0.0.1 -p "$pg_port" || { cat "$pg_dir/server.log" >&2; pg_cleanup; exit 1; }
PG_URL="postgres://postgres@127.0.0.1:$pg_port/postgres?sslmode=disable"
PG_VERSION=$("$pg_bindir/postgres" --version | awk '{print $3}')
