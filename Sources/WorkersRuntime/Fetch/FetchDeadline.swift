/// The deadline of an outbound exchange: when `timeout` passes first, the caller gets ``FetchError/timedOut`` at
/// once and the exchange is cancelled and left to wind down on its own, so an exchange whose every stage (resolve,
/// connect, head, body) must fit in one budget returns on time however slowly a stage honours cancellation.
package enum FetchDeadline {
    /// One watchdog for every fetch of the process (a caller waits at most its timeout plus the tick).
    private static let deadlines = OperationDeadlines(tick: .milliseconds(20))

    package static func run<T: Sendable>(
        within timeout: Duration, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        do { return try await deadlines.run(timeout: timeout, operation) } catch is OperationDeadlines.TimedOut {
            throw FetchError.timedOut
        }
    }
}
