import Foundation
import Logging
import PostgresNIO
import WorkersKV

@_spi(Benchmarking) import WorkersKVPostgres

/// The benchmark: a PostgresKV and a raw PostgresClient on the same database, measured side by side.
struct PostgresKVBenchmark {
    let settings: BenchmarkSettings

    private static let namespace = "benchmark"
    private static let value = Data(repeating: 0x61, count: 100)
    private static let logger = Logger(label: "postgres-kv-benchmark")

    private func key(_ index: Int) -> String {
        "key:" + String(repeating: "0", count: max(0, 8 - String(index).count)) + String(index)
    }

    func run() async throws {
        let url = try PostgresURL(settings.url)
        let kv = try PostgresKV(
            client: url.clientConfiguration(maximumConnections: 16), namespace: Self.namespace,
            configuration: .init(maximumConnections: 16)
        )
        let client = PostgresClient(configuration: try url.clientConfiguration(maximumConnections: 16))
        let running = Task { await client.run() }
        defer { running.cancel() }

        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<16 {
                group.addTask {
                    for index in stride(from: task, to: settings.keys, by: 16) {
                        try await kv.put(key(index), Self.value)
                    }
                }
            }
            try await group.waitForAll()
        }
        print("PostgresKV vs postgres-nio on \(kv.endpoint): \(settings.keys) keys, 100-byte values, "
            + "\(settings.rounds) rounds of \(settings.seconds) s per variant, medians")

        let variants = makeVariants(kv: kv, client: client)
        var results: [String: [Double]] = [:]
        for round in 0..<settings.rounds {
            for operation in ["get", "put"] {
                for tasks in [1, 16] {
                    var order = variants.filter { $0.operation == operation }
                    if round.isMultiple(of: 2) { order.reverse() }
                    for variant in order {
                        let rate = try await measure(tasks: tasks, seconds: settings.seconds, variant.body)
                        results["\(operation) \(tasks) \(variant.name)", default: []].append(rate)
                    }
                }
            }
        }
        report(results)
        await kv.close()
    }

    private struct Variant: Sendable {
        let operation: String
        let name: String
        let body: @Sendable (Int) async throws -> Void
    }

    private func makeVariants(kv: PostgresKV, client: PostgresClient) -> [Variant] {
        let keys = (0..<settings.keys).map { Data(key($0).utf8) }
        let names = (0..<settings.keys).map(key)
        let now: @Sendable () -> Int = { Int(Date().timeIntervalSince1970) }
        let namespace = Self.namespace
        let value = Self.value
        let logger = Self.logger
        return [
            Variant(operation: "get", name: "kv") { index in
                guard try await kv.getEntry(names[index % names.count]) != nil else { throw BenchmarkError.missing }
            },
            Variant(operation: "get", name: "raw") { index in
                let statement = PostgresKVSchema.Get(namespace: namespace, key: keys[index % keys.count], now: now())
                var found = false
                for try await row in try await client.execute(statement, logger: logger) { found = !row.0.isEmpty }
                guard found else { throw BenchmarkError.missing }
            },
            Variant(operation: "get", name: "query") { index in
                let statement = PostgresKVSchema.Get(namespace: namespace, key: keys[index % keys.count], now: now())
                let query = PostgresQuery(unsafeSQL: PostgresKVSchema.Get.sql, binds: try statement.makeBindings())
                var found = false
                for try await row in try await client.query(query, logger: logger).decode(PostgresKVSchema.Get.Row.self) {
                    found = !row.0.isEmpty
                }
                guard found else { throw BenchmarkError.missing }
            },
            Variant(operation: "put", name: "kv") { index in
                try await kv.put(names[index % names.count], value)
            },
            Variant(operation: "put", name: "raw") { index in
                let key = keys[index % keys.count]
                let row = PostgresKVRow(namespace: namespace, key: key, value: value, metadata: nil, expiration: nil)
                let statement = PostgresKVSchema.Put(entry: row, locks: PostgresKVLocks(namespace: namespace, key: key))
                for try await _ in try await client.execute(statement, logger: logger) {}
            },
            Variant(operation: "put", name: "query") { index in
                let key = keys[index % keys.count]
                let row = PostgresKVRow(namespace: namespace, key: key, value: value, metadata: nil, expiration: nil)
                let statement = PostgresKVSchema.Put(entry: row, locks: PostgresKVLocks(namespace: namespace, key: key))
                let query = PostgresQuery(unsafeSQL: PostgresKVSchema.Put.sql, binds: try statement.makeBindings())
                for try await _ in try await client.query(query, logger: logger) {}
            },
        ]
    }

    /// Operations per second of `tasks` loops calling `body` with spread-out indices until `seconds` have passed.
    private func measure(tasks: Int, seconds: Double, _ body: @escaping @Sendable (Int) async throws -> Void) async throws -> Double {
        let start = ContinuousClock.now
        let end = start + .milliseconds(Int(seconds * 1000))
        let done = try await withThrowingTaskGroup(of: Int.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    var random = UInt64(task + 1) &* 0x9E37_79B9_7F4A_7C15
                    var count = 0
                    while ContinuousClock.now < end {
                        random ^= random << 13
                        random ^= random >> 7
                        random ^= random << 17
                        try await body(Int(random % UInt64(Int.max)))
                        count += 1
                    }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        let elapsed = start.duration(to: .now)
        return Double(done) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    private func report(_ results: [String: [Double]]) {
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        print("operation  tasks      kv ops/s     raw ops/s   query ops/s   kv/raw  kv/query")
        for operation in ["get", "put"] {
            for tasks in [1, 16] {
                let kv = median(results["\(operation) \(tasks) kv"] ?? [0])
                let raw = median(results["\(operation) \(tasks) raw"] ?? [0])
                let query = median(results["\(operation) \(tasks) query"] ?? [0])
                let figures = String(format: "%6d  %12.0f  %12.0f  %12.0f  %7.2f  %8.2f", tasks, kv, raw, query, kv / raw, kv / query)
                print(operation.padding(toLength: 9, withPad: " ", startingAt: 0) + " " + figures)
            }
        }
        print("target: get kv/raw >= 0.80")
    }
}

enum BenchmarkError: Error {
    case missing
}
