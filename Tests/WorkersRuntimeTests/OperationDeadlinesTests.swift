import Foundation
import Synchronization
import Testing

import WorkersRuntime
import WorkersTesting

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

    @Test("an operation that does not finish in time: the caller gets TimedOut without waiting for it, and the operation is cancelled")
    func timesOut() async throws {
        let gate = TestGate()
        let cancelled = Mutex<Bool?>(nil)
        let started = ContinuousClock.now
        await #expect(throws: OperationDeadlines.TimedOut.self) {
            try await deadlines.run(timeout: .milliseconds(200)) {
                await gate.wait()
                cancelled.withLock { $0 = Task.isCancelled }
                return 0
            }
        }
        #expect(started.duration(to: .now) >= .milliseconds(200))
        #expect(gate.open(), "the caller returned while the operation was still waiting")
        #expect(await eventually(within: .seconds(30)) { cancelled.withLock { $0 } != nil })
        #expect(cancelled.withLock { $0 } == true)
    }

    @Test("a cancelled caller stops waiting without waiting for the operation")
    func callerCancelled() async throws {
        let gate = TestGate()
        let caller = Task {
            try await deadlines.run(timeout: .seconds(120)) { () async throws -> Int in
                await gate.wait()
                return 0
            }
        }
        try await Task.sleep(for: .milliseconds(50))
        caller.cancel()
        await #expect(throws: CancellationError.self) { try await caller.value }
        #expect(gate.open(), "the caller returned while the operation was still waiting")
    }

    @Test("many operations at once each get their own outcome")
    func many() async throws {
        let results = try await withThrowingTaskGroup(of: Int?.self) { group in
            for index in 0..<200 {
                group.addTask {
                    do {
                        return try await deadlines.run(timeout: .milliseconds(index.isMultiple(of: 2) ? 60_000 : 100)) {
                            if !index.isMultiple(of: 2) { try? await Task.sleep(for: .seconds(60)) }
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
