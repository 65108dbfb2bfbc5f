import Foundation
import GRDB
import Synchronization
import Testing
import WorkersRuntime
import WorkersTesting

@_spi(Benchmarking) @testable import WorkersKV

@Suite("SQLiteKV")
struct SQLiteKVTests {
    private let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("sqlitekv-tests-\(UUID().uuidString)", isDirectory: true)
    private var path: URL { directory.appendingPathComponent("nested/state/kv/NS.sqlite") }

    @Test("creates missing parent directories, and data survives close and reopen")
    func reopen() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let clock = TestClock()
        let first = try SQLiteKV(path: path, now: clock.nowFunction)
        try await first.put("client:1", "one", expirationTtl: 3600, metadata: ["name": "first"])
        try await first.put("client:2", Data([0, 1, 2]))
        try first.close()
        await #expect(throws: (any Error).self) { _ = try await first.get("client:1") }

        let second = try SQLiteKV(path: path, now: clock.nowFunction)
        defer { try? second.close() }
        let entry = try #require(try await second.getEntry("client:1"))
        #expect(entry.text == "one")
        #expect(entry.metadata == ["name": "first"])
        #expect(entry.expiration == clock.seconds + 3600)
        #expect(try await second.get("client:2", as: Data.self) == Data([0, 1, 2]))
    }

    @Test("WAL journal, synchronous = FULL, and the schema version are set")
    func pragmas() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let kv = try SQLiteKV(path: path)
        defer { try? kv.close() }
        let (journal, synchronous, version) = try await kv.pool.write { db in
            (
                try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                try Int.fetchOne(db, sql: "PRAGMA synchronous"),
                try Int.fetchOne(db, sql: "PRAGMA user_version")
            )
        }
        #expect(journal == "wal")
        #expect(synchronous == 2)  // FULL
        #expect(version == SQLiteKVSchema.version)
    }

    @Test("a database from a newer schema version is refused, not overwritten")
    func newerSchema() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: path.path)
        try await queue.write { db in try db.execute(sql: "PRAGMA user_version = 99") }
        try queue.close()
        let error = #expect(throws: KVError.self) { _ = try SQLiteKV(path: path) }
        #expect(error?.message.contains("99") == true)
    }

    @Test("two instances on one file (server and CLI) see each other's writes")
    func twoInstances() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try SQLiteKV(path: path)
        let cli = try SQLiteKV(path: path)
        defer {
            try? server.close()
            try? cli.close()
        }
        try await cli.put("k", "from cli")
        #expect(try await server.get("k") == "from cli")
        // The server's inline readers have the page cached by now: an overwrite must still show at once.
        try await cli.put("k", "rewritten by cli")
        #expect(try await server.get("k") == "rewritten by cli")
        try await server.delete("k")
        #expect(try await cli.get("k") == nil)
    }

    @Test("concurrent puts share commits (group commit), and every put is stored when it returns")
    func concurrentPutsShareCommits() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let kv = try SQLiteKV(path: path)
        defer { try? kv.close() }
        let commits = CommitCounter()
        try await kv.pool.writeWithoutTransaction { db in db.add(transactionObserver: commits, extent: .databaseLifetime) }
        let writes = 200
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<writes {
                group.addTask {
                    try await kv.put("key\(index)", "value\(index)")
                    // Returned means committed: visible at once, to this instance and to a fresh reader.
                    #expect(try await kv.get("key\(index)") == "value\(index)")
                }
            }
            try await group.waitForAll()
        }
        let reader = try DatabaseQueue(path: path.path)
        #expect(try await reader.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM kv") } == writes)
        try reader.close()
        #expect(commits.count >= 1 && commits.count < writes)
    }

    @Test("concurrent atomic commits share transactions too, and each one's check sees the commits before it")
    func concurrentCommitsShareTransactions() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let kv = try SQLiteKV(path: path)
        defer { try? kv.close() }
        let commits = CommitCounter()
        try await kv.pool.writeWithoutTransaction { db in db.add(transactionObserver: commits, extent: .databaseLifetime) }
        // 200 tasks each claim one of 20 keys, expecting it absent: exactly one claim per key may win, whether or
        // not the rivals share a transaction.
        let attempts = 200
        let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<attempts {
                group.addTask {
                    let key = "claim\(index % 20)"
                    return try await kv.commit([.put(key: key, value: Data("\(index)".utf8), options: KVPutOptions())], ifUnchanged: [key: nil])
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(wins == 20)
        #expect(commits.count >= 1 && commits.count < attempts)
    }

    @Test("a write that fails inside a shared commit fails alone; the others in its batch are stored")
    func failingWriteFailsAlone() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let kv = try SQLiteKV(path: path)
        defer { try? kv.close() }
        // A trigger on the writer connection only (TEMP) that refuses one key.
        try await kv.pool.writeWithoutTransaction { db in
            try db.execute(sql: """
                CREATE TEMP TRIGGER poison BEFORE INSERT ON main.kv WHEN NEW.key = CAST('poison' AS BLOB)
                BEGIN SELECT RAISE(ABORT, 'poisoned key'); END
                """)
        }
        let outcomes = await withTaskGroup(of: (String, Bool).self) { group in
            for key in (0..<40).map({ "key\($0)" }) + ["poison"] + (40..<80).map({ "key\($0)" }) {
                group.addTask { (key, (try? await kv.put(key, "v")) != nil) }
            }
            return await group.reduce(into: [String: Bool]()) { $0[$1.0] = $1.1 }
        }
        #expect(outcomes["poison"] == false)
        #expect(outcomes.filter { $0.key != "poison" }.values.allSatisfy { $0 })
        #expect(try await kv.list(KVListOptions(prefix: "key")).keys.count == 80)
        #expect(try await kv.get("poison") == nil)
    }

    @Test("concurrent gets beyond the one inline reader fall back to GRDB's reader, and every get sees the value")
    func moreGetsThanInlineReaders() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let kv = try SQLiteKV(path: path, configuration: .init(maximumReaderCount: 1))
        defer { try? kv.close() }
        for index in 0..<50 { try await kv.put("key\(index)", "value\(index)") }
        let mismatches = try await withThrowingTaskGroup(of: Int.self) { group in
            for task in 0..<16 {
                group.addTask {
                    var wrong = 0
                    for round in 0..<200 {
                        let index = (task * 7 + round) % 50
                        if try await kv.get("key\(index)") != "value\(index)" { wrong += 1 }
                    }
                    return wrong
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(mismatches == 0)
        #expect(try await kv.get("missing") == nil)
    }

    @Test("get deletes the expired entry it meets; sweepExpired deletes the rest in batches, keeping live ones")
    func expiryReclaimsRows() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let clock = TestClock()
        let kv = try SQLiteKV(path: path, now: clock.nowFunction)
        defer { try? kv.close() }
        for index in 0..<2500 { try await kv.put("short:\(index)", "v", expirationTtl: 60) }
        try await kv.put("long", "v", expirationTtl: 3600)
        try await kv.put("forever", "v")
        #expect(try await rowCount(kv) == 2502)

        clock.advance(by: 60)
        #expect(try await kv.get("short:0") == nil)
        #expect(try await rowCount(kv) == 2501)

        #expect(try await kv.sweepExpired() == 2499)
        #expect(try await rowCount(kv) == 2)
        #expect(try await kv.sweepExpired() == 0)
        #expect(try await kv.list().keys.map(\.name) == ["forever", "long"])
    }

    @Test("the background sweep deletes expired rows without any read")
    func periodicSweep() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let clock = TestClock()
        let kv = try SQLiteKV(path: path, configuration: .init(sweepInterval: .milliseconds(10)), now: clock.nowFunction)
        defer { try? kv.close() }
        try await kv.put("a", "v", expirationTtl: 60)
        try await kv.put("b", "v")
        clock.advance(by: 61)
        // Wait for the sweeper (each round is 10 ms; allow plenty for a loaded machine).
        for _ in 0..<500 where try await rowCount(kv) != 1 {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(try await rowCount(kv) == 1)
    }

    @Test("get, list and sweep search indexes instead of scanning or sorting the table")
    func queryPlans() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let kv = try SQLiteKV(path: path)
        defer { try? kv.close() }
        let a = Data("a".utf8)
        let b = Data("b".utf8)
        let plans = try await kv.pool.read { db in
            let statements: [(String, StatementArguments)] = [
                (SQLiteKVSchema.select, [a]),
                (SQLiteKVSchema.list(prefix: true, after: true, upperBound: true), [0, a, a, b, 10]),
                (SQLiteKVSchema.list(prefix: false, after: false, upperBound: false), [0, nil, nil, nil, 10]),
                (SQLiteKVSchema.sweep, [0, 10]),
            ]
            return try statements.map { sql, arguments in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments)
                    .map { $0["detail"] as String }
                    .joined(separator: "; ")
            }
        }
        #expect(plans[0].contains("SEARCH kv USING INDEX sqlite_autoindex_kv_1 (key=?)"), "\(plans[0])")
        #expect(plans[1].contains("SEARCH kv USING INDEX sqlite_autoindex_kv_1 (key>? AND key<?)"), "\(plans[1])")
        // The first page of a whole-namespace list walks the key index in order and stops after `limit` rows.
        #expect(plans[2].contains("USING INDEX sqlite_autoindex_kv_1"), "\(plans[2])")
        #expect(plans[3].contains("INDEX kv_expiration (expiration<?)"), "\(plans[3])")
        for plan in plans { #expect(!plan.contains("TEMP B-TREE"), "\(plan)") }
    }

    private func rowCount(_ kv: SQLiteKV) async throws -> Int {
        try await kv.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM kv") ?? -1 }
    }
}

/// Counts commits on the connection it observes.
private final class CommitCounter: TransactionObserver, @unchecked Sendable {
    private let commits = Mutex(0)
    var count: Int { commits.withLock { $0 } }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseDidCommit(_ db: Database) { commits.withLock { $0 += 1 } }
    func databaseDidRollback(_ db: Database) {}
}
