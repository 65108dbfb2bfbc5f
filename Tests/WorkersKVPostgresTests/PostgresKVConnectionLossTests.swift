import Foundation
import Testing
import WorkersKV
import WorkersKVPostgres
import WorkersTesting

/// A server of their own that the tests stop, freeze and restart under a namespace that stays open.
@Suite("PostgresKV, connection loss", .requiresPostgres, .serialized)
struct PostgresKVConnectionLossTests {
    private static let timeout = Duration.seconds(2)
    /// The timeout, the watchdog's tick and the scheduling delays of a machine running every suite at once (seconds
    /// at worst); a hang would be the pool's backoff or circuit breaker, 15 s to a minute.
    private static let bound = Duration.seconds(7)
    private static let password = "s3cret-pw"

    private static func open(_ server: PostgresServer) throws -> PostgresKV {
        // Trust authentication ignores the password; it is there to show that no message repeats it.
        let url = server.url.replacingOccurrences(of: "postgres@", with: "postgres:\(password)@")
        return try PostgresKV(url: url, namespace: "loss", configuration: .init(operationTimeout: timeout, reconnectDelay: .seconds(1)))
    }

    /// Every kind of operation, named.
    private static func operations(_ kv: PostgresKV) -> [(String, @Sendable () async throws -> Void)] {
        [
            ("get", { _ = try await kv.get("k") }),
            ("put", { try await kv.put("k", "during") }),
            ("delete", { try await kv.delete("other") }),
            ("list", { _ = try await kv.list() }),
            ("commit", { _ = try await kv.commit([.delete(key: "other")], ifUnchanged: ["k": nil]) }),
            ("sweep", { _ = try await kv.sweepExpired() }),
        ]
    }

    private static func expectUnavailable(_ kv: PostgresKV, server: PostgresServer, _ reason: String) async {
        for (name, operation) in operations(kv) {
            let started = ContinuousClock.now
            let error = await #expect(throws: KVUnavailableError.self, "\(name) while \(reason)") { try await operation() }
            #expect(started.duration(to: .now) < bound, "\(name) while \(reason) took \(started.duration(to: .now))")
            #expect(error?.message.contains("127.0.0.1:\(server.port)") == true, "\(error?.message ?? "")")
            #expect(error?.description.contains(password) == false)
        }
    }

    /// Waits until the namespace works (connecting can take seconds while every suite starts at once), then puts.
    private static func ready(_ kv: PostgresKV, putting value: String) async -> Bool {
        await eventually(within: .seconds(60)) { (try? await kv.put("k", value)) != nil }
    }

    private static func recovers(_ kv: PostgresKV, expecting value: String) async -> Bool {
        await eventually(within: .seconds(30)) { (try? await kv.get("k")) == value }
    }

    @Test("server stopped: every operation throws KVUnavailableError within the timeout; restarted: the same namespace works again")
    func stopAndRestart() async throws {
        let server = try PostgresServer.start()
        defer { server.tearDown() }
        let kv = try Self.open(server)
        #expect(await Self.ready(kv, putting: "before"))
        try server.stop()
        await Self.expectUnavailable(kv, server: server, "stopped")
        await Self.expectUnavailable(kv, server: server, "still stopped")
        try server.restart()
        #expect(await Self.recovers(kv, expecting: "before"), "the data survived and the namespace reconnected")
        try await kv.put("k", "after")
        #expect(try await kv.get("k") == "after")
        await kv.close()
    }

    @Test("a server that stops answering: operations give up with KVUnavailableError, and work once it answers again")
    func frozenServer() async throws {
        let server = try PostgresServer.start()
        defer { server.tearDown() }
        let kv = try Self.open(server)
        #expect(await Self.ready(kv, putting: "before"))
        let paused = server.pause()
        await Self.expectUnavailable(kv, server: server, "frozen")
        server.resume(paused)
        #expect(await Self.recovers(kv, expecting: "before"))
        await kv.close()
    }

    @Test("stopped in the middle of concurrent work: every failure is KVUnavailableError, none hangs, and work resumes")
    func stopDuringRun() async throws {
        let server = try PostgresServer.start()
        defer { server.tearDown() }
        let kv = try Self.open(server)
        #expect(await Self.ready(kv, putting: "0"))
        let outcome = try await withThrowingTaskGroup(of: (failures: [String], slowest: Duration, successes: Int).self) { group in
            let end = ContinuousClock.now + .seconds(8)
            for worker in 0..<4 {
                group.addTask {
                    var failures: [String] = []
                    var slowest = Duration.zero
                    var successes = 0
                    while ContinuousClock.now < end {
                        let started = ContinuousClock.now
                        do {
                            try await kv.put("w\(worker)", "\(successes)")
                            _ = try await kv.get("w\(worker)")
                            successes += 1
                        } catch is KVUnavailableError {
                            failures.append("unavailable")
                            try await Task.sleep(for: .milliseconds(50))
                        } catch {
                            failures.append("\(type(of: error)): \(error)")
                        }
                        slowest = max(slowest, started.duration(to: .now))
                    }
                    return (failures, slowest, successes)
                }
            }
            try await Task.sleep(for: .seconds(1))
            try server.stop()
            try await Task.sleep(for: .seconds(3))
            try server.restart()
            return try await group.reduce(into: (failures: [String](), slowest: Duration.zero, successes: 0)) {
                $0.failures += $1.failures
                $0.slowest = max($0.slowest, $1.slowest)
                $0.successes += $1.successes
            }
        }
        #expect(outcome.failures.contains("unavailable"), "the outage was seen")
        #expect(outcome.failures.allSatisfy { $0 == "unavailable" }, "\(Set(outcome.failures))")
        #expect(outcome.slowest < Self.bound * 2, "no operation hung: \(outcome.slowest)")
        #expect(await Self.recovers(kv, expecting: "0"))
        await kv.close()
    }

    @Test("a statement the database refuses is KVStorageError, not an outage")
    func storageError() async throws {
        let (server, url, database) = try freshDatabase()
        let kv = try PostgresKV(url: url, namespace: "refused", configuration: .patient)
        try await kv.put("k", "ok")
        _ = try server.psql("ALTER TABLE workers_kv ADD CONSTRAINT short_values CHECK (length(value) < 10)", database: database)
        let error = await #expect(throws: KVStorageError.self) { try await kv.put("k", "far too long a value") }
        #expect(error?.message.contains("23514") == true, "\(error?.message ?? "")")
        #expect(try await kv.get("k") == "ok")
        await kv.close()
    }
}
