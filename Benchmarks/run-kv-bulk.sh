#!/usr/bin/env bash
# `kv bulk put` and `kv bulk export` of a generated bulk file, under /usr/bin/time -v: records, seconds, peak RSS.
# Usage: Benchmarks/run-kv-bulk.sh [records] [value-bytes]   (default 100000 x 1000 B: a 105 MB file)
# Uses the debug bearer-token binary (swift build --product bearer-token); BIN=path overrides it.
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-100000}
value_bytes=${2:-1000}
[ -x /usr/bin/time ] || { echo "/usr/bin/time is required: apt-get install time" >&2; exit 1; }
if [ -z "${BIN:-}" ]; then
    swift build --product bearer-token >/dev/null
    BIN=$(swift build --show-bin-path)/bearer-token
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'name = "bulk-bench"\n[[kv_namespaces]]\nbinding = "DATA"\nid = "data"\n' > "$work/wrangler.toml"
python3 - "$work/in.json" "$records" "$value_bytes" <<'PY'
import sys
path, count, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
filler = "x" * (size - 8)
with open(path, "w") as f:
    f.write("[")
    for i in range(count):
        f.write(("\n" if i == 0 else ",\n") + '{"key":"key-%d","value":"%08d%s","metadata":{"n":%d}}' % (i, i, filler, i))
    f.write("\n]\n")
PY
echo "file: $(du -h "$work/in.json" | cut -f1), $records records of $value_bytes B"
measure() { # label command...
    local label=$1; shift
    (cd "$work" && /usr/bin/time -v "$@" 2> "$work/time.txt" >/dev/null) || { cat "$work/time.txt" >&2; exit 1; }
    local rss wall summary
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
    wall=$(awk -F'): ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt")
    summary=$(grep -E '^(Wrote|Exported) ' "$work/time.txt" | tail -1)
    printf '%-7s wall %8s   peak RSS %7s kB   %s\n' "$label" "$wall" "$rss" "$summary"
}
measure put "$BIN" kv bulk put in.json --binding DATA
measure export "$BIN" kv bulk export --binding DATA --output out.json
