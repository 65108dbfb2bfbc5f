# Sourced by the benchmark scripts: wait_for PORT, and measure NAME URL [wrk arguments...], which runs
# wrk -t$threads -c$connections -d${duration}s --latency, prints a row, and appends
# "NAME RPS P50 P99 NON2XX" to $results/summary.txt (NON2XX also counts a Lua body file that ran out).
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
    printf '%-22s %12s req/s   p50 %8s   p99 %8s   non-2xx %s\n' "$name" "$rps" "$p50" "$p99" "$bad"
    head -3 "$results/$name.err" >&2 || true
    echo "$name $rps $p50 $p99 $bad" >> "$results/summary.txt"
}
