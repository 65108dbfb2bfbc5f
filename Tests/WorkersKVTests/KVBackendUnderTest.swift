import Foundation
import WorkersKV
import WorkersKVPostgres
import WorkersTesting

/// A backend the shared behavioural suite runs against, with a fresh store per test.
struct KVBackendUnderTest: Sendable, CustomStringConvertible {
    let description: String
    private let make: @Sendable (URL, @escaping @Sendable () -> Date) throws -> any KVNamespace

    /// A fresh, empty namespace in its own temporary directory, and that directory (delete it when done).
    func open(now: @escaping @Sendable () -> Date) throws -> (kv: any KVNamespace, directory: URL) {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("workers-kv-tests-\(UUID().uuidString)", isDirectory: true)
        return (try make(directory, now), directory)
    }

    static let memory = KVBackendUnderTest(description: "MemoryKV") { _, now in MemoryKV(now: now) }
    static let sqlite = KVBackendUnderTest(description: "SQLiteKV") { directory, now in
        try SQLiteKV(path: directory.appendingPathComponent("kv.sqlite"), now: now)
    }
    static let sqliteHopping = KVBackendUnderTest(description: "SQLiteKV (inlineGets off)") { directory, now in
        try SQLiteKV(path: directory.appendingPathComponent("kv.sqlite"), configuration: .init(inlineGets: false), now: now)
    }
    static let file = KVBackendUnderTest(description: "FileKV") { directory, now in
        try FileKV(directory: directory.appendingPathComponent("kv", isDirectory: true), now: now)
    }

    /// PostgresKV on the test process's shared server, a fresh namespace per test (the namespaces of one table).
    /// Every suite starts at once on a 2-core machine, so connecting alone can take seconds: the timeout here is
    /// generous (the connection-loss tests check the short ones), and each test's pool small.
    static let postgres = KVBackendUnderTest(description: "PostgresKV") { _, now in
        try PostgresKV(
            url: PostgresServer.shared().url, namespace: "test-\(UUID().uuidString)",
            configuration: .init(operationTimeout: .seconds(60), maximumConnections: 8), now: now
        )
    }

    /// PostgresKV is included when PostgreSQL is installed, or required (`REQUIRE_POSTGRES=1`: then its absence
    /// fails these tests instead of skipping them).
    static let all: [KVBackendUnderTest] = [memory, sqlite, sqliteHopping, file] + (PostgresServer.shouldRun ? [postgres] : [])
}

/// Runs `body` with a fresh namespace of `backend` and a test clock, then deletes its files.
func withNamespace<T>(
    _ backend: KVBackendUnderTest,
    _ body: (any KVNamespace, TestClock) async throws -> T
) async throws -> T {
    let clock = TestClock()
    let (kv, directory) = try backend.open(now: clock.nowFunction)
    defer { try? FileManager.default.removeItem(at: directory) }
    let result = try await body(kv, clock)
    if let sqlite = kv as? SQLiteKV { try sqlite.close() }
    if let postgres = kv as? PostgresKV { await postgres.close() }
    return result
}

/// Every key of a namespace, paging with `limit`.
func allKeys(of kv: any KVNamespace, prefix: String? = nil, limit: Int) async throws -> [String] {
    var names: [String] = []
    var cursor: String?
    repeat {
        let page = try await kv.list(prefix: prefix, limit: limit, cursor: cursor)
        names += page.keys.map(\.name)
        cursor = page.cursor
        if page.listComplete { break }
    } while cursor != nil
    return names
}
