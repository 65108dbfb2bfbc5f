#!/usr/bin/env bash
# PostgresKV get/put vs the same prepared statements through postgres-nio directly (Benchmarks/PostgresKVBenchmark).
# Starts a throwaway PostgreSQL server of its own (initdb into a temp directory, 127.0.0.1 only, default settings:
# fsync and synchronous_commit on) and deletes it afterwards. Bounded: rounds x seconds per variant.
# Usage: Benchmarks/run-postgres-kv.sh [seconds-per-variant] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-2}
rounds=${2:-3}

swift build -c release --scratch-path .build-release --product postgres-kv-benchmark >/dev/null 2>&1 \
    || swift build -c release --scratch-path .build-release --product postgres-kv-benchmark
bin=$(swift build -c release --scratch-path .build-release --show-bin-path 2>/dev/null)/postgres-kv-benchmark

trap 'pg_cleanup 2>/dev/null || true' EXIT
. Benchmarks/lib/throwaway-postgres.sh

echo "PostgreSQL $PG_VERSION at 127.0.0.1:$pg_port (throwaway, default settings); release build"
"$bin" "$PG_URL" --seconds "$seconds" --rounds "$rounds"
