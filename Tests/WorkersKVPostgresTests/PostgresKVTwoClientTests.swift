import Foundation
import Logging
import PostgresNIO
import Testing
import WorkersKV
import WorkersTesting

@_spi(Benchmarking) import WorkersKVPostgres

/// Two PostgresKV instances on one database and namespace, each with its own connection pool, as two server
/// processes on two hosts would have.
@Suite("PostgresKV, two clients", .requiresPostgres)
struct PostgresKVTwoClientTests {
    private static func pair() throws -> (PostgresKV, PostgresKV) {
        let (_, url, _) = try freshDatabase()
        return (try PostgresKV(url: url, namespace: "shared", configuration: .patient), try PostgresKV(url: url, namespace: "shared", configuration: .patient))
    }

    @Test("concurrent conditional read-modify-writes from both clients lose no update")
    func noLostUpdates() async throws {
        let (a, b) = try Self.pair()
        try await a.put("counter", "0")
        try await withThrowingTaskGroup(of: Int.self) { group in
            for writer in 0..<12 {
                let kv = writer.isMultiple(of: 2) ? a : b
                group.addTask {
                    var refused = 0
                    for _ in 0..<10 {
                        while true {
                            let current = try await kv.get("counter", as: Data.self)
                            let next = Int(String(decoding: current ?? Data(), as: UTF8.self))! + 1
                            let change = KVChange.put(key: "counter", value: Data(String(next).utf8), options: KVPutOptions())
                            if try await kv.commit([change], ifUnchanged: ["counter": current]) { break }
                            refused += 1
                        }
                    }
                    return refused
                }
            }
            let refused = try await group.reduce(0, +)
            #expect(refused > 0, "the writers did race")
        }
        #expect(try await b.get("counter") == "120")
        await a.close()
        await b.close()
    }

    @Test("an absent key is claimed by exactly one of many racing commits")
    func claimAbsentKey() async throws {
        let (a, b) = try Self.pair()
        for round in 0..<20 {
            let key = "code:\(round)"
            let winners = try await withThrowingTaskGroup(of: String?.self) { group in
                for contender in 0..<8 {
                    let kv = contender.isMultiple(of: 2) ? a : b
                    group.addTask {
                        let mine = "contender \(contender)"
                        let change = KVChange.put(key: key, value: Data(mine.utf8), options: KVPutOptions())
                        return try await kv.commit([change, .put(key: key + ":log", value: Data(mine.utf8), options: KVPutOptions())],
                                                   ifUnchanged: [key: nil]) ? mine : nil
                    }
                }
                return try await group.compactMap { $0 }.reduce(into: []) { $0.append($1) }
            }
            #expect(winners.count == 1, "round \(round): \(winners)")
            #expect(try await a.get(key) == winners.first)
            #expect(try await b.get(key + ":log") == winners.first, "both changes come from the same commit")
        }
        await a.close()
        await b.close()
    }

    @Test("revocation racing a rotation: no token of a revoked grant survives")
    func revocationRace() async throws {
        let (a, b) = try Self.pair()
        for round in 0..<15 {
            let grant = "grant:\(round)"
            try await a.put(grant, "v0")
            for token in 0..<3 { try await a.put("token:\(round):\(token)", "t") }
            async let revoked = a.commit([.deletePrefix("token:\(round):"), .delete(key: grant)], ifUnchanged: [:])
            async let rotated = b.commit(
                [.put(key: "token:\(round):new", value: Data("t".utf8), options: KVPutOptions()),
                 .put(key: grant, value: Data("v1".utf8), options: KVPutOptions())],
                ifUnchanged: [grant: Data("v0".utf8)]
            )
            let (didRevoke, _) = try await (revoked, rotated)
            #expect(didRevoke)
            #expect(try await b.get(grant) == nil)
            #expect(try await b.list(prefix: "token:\(round):").keys.isEmpty, "round \(round)")
        }
        await a.close()
        await b.close()
    }

    @Test("a plain put waits for a commit holding its key's lock, and every write for a prefix delete")
    func plainWritesTakeTheLocks() async throws {
        let (_, url, _) = try freshDatabase()
        let kv = try PostgresKV(url: url, namespace: "locks", configuration: .patient)
        try await kv.put("warm", "up")
        var configuration = try PostgresURL(url).clientConfiguration()
        configuration.options.maximumConnections = 1
        let client = PostgresClient(configuration: configuration)
        let run = Task { await client.run() }
        let logger = Logger(label: "test")
        let keyLock = PostgresKVLocks(namespace: "locks", key: Data("k".utf8))

        for holding in ["key", "namespace"] {
            let started = ContinuousClock.now
            try await client.withConnection { connection in
                try await connection.query("BEGIN", logger: logger)
                if holding == "key" {
                    try await connection.query("SELECT pg_advisory_xact_lock(\(keyLock.key))", logger: logger)
                } else {
                    try await connection.query(
                        "SELECT pg_advisory_xact_lock(\(keyLock.namespace.0), \(keyLock.namespace.1))", logger: logger
                    )
                }
                let put = Task { try await kv.put("k", holding); return ContinuousClock.now }
                try await Task.sleep(for: .milliseconds(500))
                try await connection.query("COMMIT", logger: logger)
                let finished = try await put.value
                #expect(started.duration(to: finished) >= .milliseconds(500), "the put waited for the \(holding) lock")
            }
            #expect(try await kv.get("k") == holding)
        }
        run.cancel()
        await run.value
        await kv.close()
    }
}
