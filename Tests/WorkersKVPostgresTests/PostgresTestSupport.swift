import Foundation
import Testing
import WorkersKVPostgres
import WorkersTesting

extension Trait where Self == ConditionTrait {
    /// Runs the test when PostgreSQL is installed or required (`REQUIRE_POSTGRES=1`), else skips it saying how to
    /// install it.
    static var requiresPostgres: Self {
        .enabled(if: PostgresServer.shouldRun, Comment(rawValue: PostgresServer.installHint))
    }
}

/// A fresh database on the test process's shared server.
func freshDatabase() throws -> (server: PostgresServer, url: String, name: String) {
    let server = try PostgresServer.shared()
    let name = "test_" + UUID().uuidString.prefix(8).lowercased()
    return (server, try server.createDatabase(name), name)
}

extension PostgresKV.Configuration {
    /// For tests that are not about timeouts: every suite of the test process starts at once on 2 cores, and
    /// connecting alone can then take seconds.
    static let patient = PostgresKV.Configuration(operationTimeout: .seconds(60))
}
