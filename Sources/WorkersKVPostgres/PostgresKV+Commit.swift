public import Foundation
public import WorkersKV
import NIOCore
import PostgresNIO

extension PostgresKV {
    /// Applies `changes` in one transaction if every key in `expected` still holds exactly the bytes given (`nil`:
    /// absent or expired), from any process or host; otherwise changes nothing and returns `false`.
    ///
    /// The commit is one statement, `workers_kv_commit(...)` (a PL/pgSQL function the schema creates), so one round
    /// trip, in its own transaction (READ COMMITTED), which first takes transaction-scoped advisory locks: the namespace's lock, shared
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
        let query = try Self.commitQuery(plan, namespace: namespace, namespaceLock: namespaceLock, nowSeconds: Self.seconds(now))
        return try await perform("COMMIT") { connection in
            var attempt = 0
            while true {
                do {
                    var applied = false
                    for try await value in try await connection.query(query, logger: Self.quiet).decode(Bool.self) { applied = value }
                    return applied
                } catch let error as PSQLError where attempt < 2 && Self.isRetryable(error) {
                    attempt += 1
                }
            }
        }
    }

    /// The one statement of a commit: `workers_kv_commit(...)` (``PostgresKVSchema/commitFunction``).
    private static func commitQuery(
        _ plan: PostgresKVCommitPlan, namespace: String, namespaceLock: (Int32, Int32), nowSeconds: Int
    ) throws -> PostgresQuery {
        var expectedKeys: [ByteBuffer] = []
        var expectedValues: [ByteBuffer] = []
        var expectedPresent: [Bool] = []
        for (key, value) in plan.expected {
            expectedKeys.append(ByteBuffer(bytes: key))
            expectedValues.append(ByteBuffer(bytes: value ?? Data()))
            expectedPresent.append(value != nil)
        }
        var kinds: [Int32] = []
        var keys: [ByteBuffer] = []
        var values: [ByteBuffer] = []
        var metadata: [String] = []
        var expirations: [Int64] = []
        var uppers: [ByteBuffer] = []
        for step in plan.steps {
            switch step {
            case .put(let row):
                kinds.append(0)
                keys.append(ByteBuffer(bytes: row.key))
                values.append(ByteBuffer(bytes: row.value))
                metadata.append(row.metadata ?? "")
                expirations.append(Int64(row.expiration ?? 0))
                uppers.append(ByteBuffer())
            case .delete(let key):
                kinds.append(1)
                keys.append(ByteBuffer(bytes: key))
                values.append(ByteBuffer())
                metadata.append("")
                expirations.append(0)
                uppers.append(ByteBuffer())
            case .deleteRange(let lowerBound, let upperBound):
                kinds.append(2)
                keys.append(ByteBuffer(bytes: lowerBound))
                values.append(ByteBuffer())
                metadata.append("")
                expirations.append(0)
                uppers.append(ByteBuffer(bytes: upperBound))
            }
        }
        var bindings = PostgresBindings(capacity: 15)
        bindings.append(namespace)
        bindings.append(namespaceLock.0)
        bindings.append(namespaceLock.1)
        bindings.append(plan.deletesRange)
        bindings.append(plan.keyLocks)
        bindings.append(expectedKeys)
        bindings.append(expectedValues)
        bindings.append(expectedPresent)
        bindings.append(Int64(nowSeconds))
        bindings.append(kinds)
        bindings.append(keys)
        bindings.append(values)
        bindings.append(metadata)
        bindings.append(expirations)
        bindings.append(uppers)
        return PostgresQuery(unsafeSQL: PostgresKVSchema.commit, binds: bindings)
    }

    /// 40001 serialization_failure, 40P01 deadlock_detected: the transaction was rolled back and may be retried.
    private static func isRetryable(_ error: PSQLError) -> Bool {
        guard error.code == .server, let state = error.serverInfo?[.sqlState] else { return false }
        return state == "40001" || state == "40P01"
    }
}
