// PostgresKV's get and put against the physical reference: the very same prepared statements sent through
// postgres-nio directly, by one PostgresClient of the same configuration, on the same server and table.
//
//     Benchmarks/run-postgres-kv.sh              # starts a throwaway server, runs this, cleans up
//     postgres-kv-benchmark URL [--seconds S] [--rounds R] [--keys N]
//
// Series: get and put at 1 and 16 concurrent tasks. Each round measures every series' variants back to back,
// alternating which goes first, so a drift of the machine affects both sides alike; the figures are medians over
// the rounds. Variants: `kv` (PostgresKV), `raw` (PostgresClient.execute of PostgresKVSchema's prepared statement:
// what kv sends, minus kv), `query` (PostgresClient.query of the same SQL and binds, unnamed statement).
// Keys `key:00000000`..., 100-byte values; get reads random existing keys, put overwrites random keys (each one a
// commit with PostgreSQL's default synchronous_commit = on).
import Foundation
import Logging
import PostgresNIO
import WorkersKV

@_spi(Benchmarking) import WorkersKVPostgres

guard let settings = BenchmarkSettings(arguments: Array(CommandLine.arguments.dropFirst())) else {
    FileHandle.standardError.write(Data((BenchmarkSettings.usage + "\n").utf8))
    exit(2)
}
try await PostgresKVBenchmark(settings: settings).run()
