import Testing
import WorkersTesting

extension Trait where Self == ConditionTrait {
    /// Runs the test when PostgreSQL is installed or required (`REQUIRE_POSTGRES=1`), else skips it saying how to
    /// install it.
    static var requiresPostgres: Self {
        .enabled(if: PostgresServer.shouldRun, Comment(rawValue: PostgresServer.installHint))
    }
}
