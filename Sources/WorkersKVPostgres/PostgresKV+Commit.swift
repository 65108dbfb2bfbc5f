public import Foundation
public import WorkersKV
import NIOCore
import PostgresNIO

extension PostgresKV {
    /// Applies `changes` in one transaction if every key in `expected` still holds exactly the bytes given (`nil`:
    /// absent or expired), from any process or host; otherwise changes nothing and returns `false`.
    ///
    /// The transaction (READ COMMITTED) first takes transaction-scoped advisory locks: the namespace's lock, shared
    /// (exclusive when a change deletes a prefix), then the lock of every key it expects or writes, in ascending
    /// lock-id order, so two commits never deadlock. Plain `put` and `delete` take the namespace's lock shared and
    /// their key's lock in the same statement. So no other write of those keys, and no write at all during a prefix
    /// delete, can come between reading the expected values (a fresh snapshot, after the locks) and committing;
    /// an expected key that is absent is locked all the same, which a `SELECT ... FOR UPDATE` could not do.
    /// Readers see all of the commit or none of it (MVCC). A deadlock or serialisation failure reported by the
    /// server (possible only with other software taking locks on the table) is retried twice.
    /// - Throws: `KVError` for a change past a limit, before anything is sent; `KVUnavailableError`,
    ///   `KVStorageError`.
    public func commit(_ changes: [KVChange], ifUnchanged expected: [String: Data?]) async throws -> Bool {
        let now = now()
        let plan = try PostgresKVCommitPlan(changes, expected: expected, namespace: namespace, now: now)
        let context = CommitContext(namespace: namespace, nowSeconds: Self.seconds(now), namespaceLock: namespaceLockBindings)
        return try await perform("COMMIT") { connection in
            var attempt = 0
            while true {
                do {
                    return try await Self.apply(plan, context: context, on: connection)
                } catch let error as PSQLError where attempt < 2 && Self.isRetryable(error) {
                    attempt += 1
                }
            }
        }
    }

    private struct CommitContext: Sendable {
        let namespace: String
        let nowSeconds: Int
        let namespaceLock: PostgresBindings
    }

    private static func apply(
        _ plan: PostgresKVCommitPlan, context: CommitContext, on connection: PostgresConnection
    ) async throws -> Bool {
        try await connection.kvTransaction(logger: quiet) { connection in
            let namespaceLock = plan.deletesRange ? PostgresKVSchema.lockNamespaceExclusive : PostgresKVSchema.lockNamespaceShared
            try await connection.run(PostgresQuery(unsafeSQL: namespaceLock, binds: context.namespaceLock), logger: quiet)
            if !plan.keyLocks.isEmpty {
                var bindings = PostgresBindings(capacity: 1)
                bindings.append(plan.keyLocks)
                try await connection.run(PostgresQuery(unsafeSQL: PostgresKVSchema.lockKeys, binds: bindings), logger: quiet)
            }
            if !plan.expected.isEmpty {
                let current = try await liveValues(of: Array(plan.expected.keys), context: context, on: connection)
                for (key, value) in plan.expected where current[key] != value {
                    return (false, commit: false)
                }
            }
            for step in plan.steps {
                try await connection.run(try query(for: step, namespace: context.namespace), logger: quiet)
            }
            return (true, commit: true)
        }
    }

    private static func liveValues(
        of keys: [Data], context: CommitContext, on connection: PostgresConnection
    ) async throws -> [Data: Data] {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(context.namespace)
        bindings.append(keys.map { ByteBuffer(bytes: $0) })
        let query = PostgresQuery(unsafeSQL: PostgresKVSchema.readExpected, binds: bindings)
        var values: [Data: Data] = [:]
        for try await (key, value, expiration) in try await connection.query(query, logger: quiet).decode((Data, Data, Int?).self) {
            if expiration.map({ $0 > context.nowSeconds }) ?? true { values[key] = value }
        }
        return values
    }

    private static func query(for step: PostgresKVCommitPlan.Step, namespace: String) throws -> PostgresQuery {
        var bindings = PostgresBindings(capacity: 5)
        switch step {
        case .put(let row):
            try row.bind(into: &bindings)
            return PostgresQuery(unsafeSQL: PostgresKVSchema.upsert, binds: bindings)
        case .delete(let key):
            bindings.append(namespace)
            try bindings.append(key)
            return PostgresQuery(unsafeSQL: PostgresKVSchema.deleteKey, binds: bindings)
        case .deleteRange(let lowerBound, let upperBound):
            bindings.append(namespace)
            try bindings.append(lowerBound)
            try bindings.append(upperBound)
            return PostgresQuery(unsafeSQL: PostgresKVSchema.deleteRange, binds: bindings)
        }
    }

    /// 40001 serialization_failure, 40P01 deadlock_detected: the transaction was rolled back and may be retried.
    private static func isRetryable(_ error: PSQLError) -> Bool {
        guard error.code == .server, let state = error.serverInfo?[.sqlState] else { return false }
        return state == "40001" || state == "40P01"
    }
}
