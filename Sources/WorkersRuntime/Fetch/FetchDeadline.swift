/// Runs an operation against a deadline: the operation is cancelled, and ``FetchError/timedOut`` thrown, when
/// `timeout` passes first. For outbound exchanges whose every stage (resolve, connect, head, body) must fit in one
/// budget, whatever each stage's own timeouts are.
package enum FetchDeadline {
    package static func run<T: Sendable>(
        within timeout: Duration, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw FetchError.timedOut }
            return value
        }
    }
}
