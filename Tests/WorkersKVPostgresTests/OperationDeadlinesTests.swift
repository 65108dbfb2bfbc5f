import Foundation
import Synchronization
import Testing

@testable import WorkersKVPostgres

/// The bound on every PostgresKV operation, without a server.
@Suite("OperationDeadlines")
struct OperationDeadlinesTests {
    private let deadlines = OperationDeadlines(tick: .milliseconds(20))

    @Test("an operation that finishes in time returns its value or its error")
    func inTime() async throws {
        #expect(try await deadlines.run(timeout: .seconds(5)) { 42 } == 42)
        struct Refused: Error {}
        await #expect(throws: Refused.self) { try await deadlines.run(timeout: .seconds(5)) { () throws -> Int in throw Refused() } }
    }

    @Test("an operation that does not finish in time: the caller gets TimedOut after the timeout, without waiting for it, and the operation is cancelled")
    func timesOut() async throws {
        let cancelled = Mutex<Bool?>(nil)
        let started = ContinuousClock.now
        await #expect(throws: OperationDeadlines.TimedOut.self) {
            try await deadlines.run(timeout: .milliseconds(200)) {
                // A wait that cancellation does not cut short, like a postgres-nio future.
                await withCheckedContinuation { continuation in
                    DispatchQueue.global().asyncAfter(deadline: .now() + 5) { continuation.resume() }
                }
                cancelled.withLock { $0 = Task.isCancelled }
                return 0
            }
        }
        let waited = started.duration(to: .now)
        #expect(waited >= .milliseconds(200) && waited < .seconds(4), "\(waited)")
        #expect(await eventually(within: .seconds(10)) { cancelled.withLock { $0 } != nil })
        #expect(cancelled.withLock { $0 } == true)
    }

    @Test("a cancelled caller stops waiting at once")
    func callerCancelled() async throws {
        let caller = Task {
            try await deadlines.run(timeout: .seconds(60)) { () async throws -> Int in
                try await Task.sleep(for: .seconds(60))
                return 0
            }
        }
        try await Task.sleep(for: .milliseconds(50))
        let started = ContinuousClock.now
        caller.cancel()
        await #expect(throws: CancellationError.self) { try await caller.value }
        #expect(started.duration(to: .now) < .seconds(3))
    }

    @Test("many operations at once each get their own outcome")
    func many() async throws {
        let results = try await withThrowingTaskGroup(of: Int?.self) { group in
            for index in 0..<200 {
                group.addTask {
                    do {
                        return try await deadlines.run(timeout: .milliseconds(index.isMultiple(of: 2) ? 5_000 : 100)) {
                            if !index.isMultiple(of: 2) { try? await Task.sleep(for: .seconds(2)) }
                            return index
                        }
                    } catch is OperationDeadlines.TimedOut {
                        return nil
                    }
                }
            }
            return try await group.reduce(into: [Int?]()) { $0.append($1) }
        }
        #expect(results.compactMap { $0 }.sorted() == Array(stride(from: 0, to: 200, by: 2)))
        #expect(results.filter { $0 == nil }.count == 100)
    }
}
