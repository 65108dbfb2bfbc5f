import Testing
import WorkersRuntime
import WorkersTesting

/// The fetch deadline on top of ``OperationDeadlines`` (whose own suite covers cancellation): its refusal is
/// ``FetchError/timedOut``, given while the exchange is still waiting.
@Suite("FetchDeadline")
struct FetchDeadlineTests {
    @Test("past the deadline the caller gets FetchError.timedOut while the exchange still waits")
    func timesOut() async throws {
        let gate = TestGate()
        await #expect(throws: FetchError.timedOut) {
            _ = try await FetchDeadline.run(within: .milliseconds(200)) {
                await gate.wait()
                return 1
            }
        }
        #expect(gate.open(), "the caller returned while the exchange was still waiting")
    }

    @Test("passes the exchange's value and error through when it finishes first")
    func passesThrough() async throws {
        #expect(try await FetchDeadline.run(within: .seconds(60)) { 42 } == 42)
        await #expect(throws: FetchError.unavailable) {
            _ = try await FetchDeadline.run(within: .seconds(60)) { () async throws -> Int in throw FetchError.unavailable }
        }
    }
}
