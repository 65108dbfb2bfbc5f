import Logging
import PostgresNIO

extension PostgresConnection {
    /// Runs `query` and reads its result to the end (rows included), so nothing of it is left on the connection.
    func run(_ query: PostgresQuery, logger: Logger) async throws {
        for try await _ in try await self.query(query, logger: logger) {}
    }

    /// Runs `body` in a READ COMMITTED transaction and commits it if `body` returns `commit: true`, else rolls it
    /// back; rolls back when `body` throws, and when the task was cancelled (its caller stopped waiting) before the
    /// commit. A connection whose rollback fails is closed, so it never goes back to the pool mid-transaction.
    func kvTransaction<Value: Sendable>(
        logger: Logger,
        _ body: (PostgresConnection) async throws -> (value: Value, commit: Bool)
    ) async throws -> Value {
        try await run("BEGIN ISOLATION LEVEL READ COMMITTED", logger: logger)
        let outcome: (value: Value, commit: Bool)
        do {
            outcome = try await body(self)
            try Task.checkCancellation()
        } catch {
            await rollback(logger: logger)
            throw error
        }
        if outcome.commit {
            try await run("COMMIT", logger: logger)
        } else {
            await rollback(logger: logger)
        }
        return outcome.value
    }

    private func rollback(logger: Logger) async {
        do {
            try await run("ROLLBACK", logger: logger)
        } catch {
            try? await close()
        }
    }
}
