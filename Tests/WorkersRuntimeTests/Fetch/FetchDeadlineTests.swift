import Dispatch
import Testing
import WorkersRuntime

@Suite("FetchDeadline")
struct FetchDeadlineTests {
    @Test("returns at the deadline even when the operation ignores cancellation")
    func returnsOnTime() async throws {
        let started = ContinuousClock.now
        await #expect(throws: FetchError.timedOut) {
            _ = try await FetchDeadline.run(within: .milliseconds(200)) {
                // Resumes after 3 s whatever happens: a stage that does not honour cancellation.
                await withCheckedContinuation { continuation in
                    DispatchQueue.global().asyncAfter(deadline: .now() + 3) { continuation.resume() }
                }
                return 1
            }
        }
        #expect(ContinuousClock.now - started < .seconds(1.5))
    }

    @Test("passes the operation's value and error through when it finishes first")
    func passesThrough() async throws {
        #expect(try await FetchDeadline.run(within: .seconds(5)) { 42 } == 42)
        await #expect(throws: FetchError.unavailable) {
            _ = try await FetchDeadline.run(within: .seconds(5)) { () async throws -> Int in throw FetchError.unavailable }
        }
    }

    @Test("a cancelled caller stops waiting")
    func cancelledCaller() async throws {
        let task = Task {
            try await FetchDeadline.run(within: .seconds(30)) {
                try await Task.sleep(for: .seconds(30))
                return 1
            }
        }
        try await Task.sleep(for: .milliseconds(100))
        task.cancel()
        let started = ContinuousClock.now
        await #expect(throws: CancellationError.self) { _ = try await task.value }
        #expect(ContinuousClock.now - started < .seconds(2))
    }
}
