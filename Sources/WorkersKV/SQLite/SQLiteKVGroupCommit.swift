import GRDB
import Synchronization

/// Commits concurrent ``SQLiteKV`` writes together: one transaction, and so one `fsync`, for every write that
/// arrived while the previous commit was running (group commit).
///
/// With `synchronous = FULL` each commit waits for the disk, and SQLite has a single writer, so committing each
/// put on its own caps a namespace at one durable write per flush. Here the first writer to arrive leads: it
/// commits its own write together with everything queued so far, resumes the writers it committed for, and hands
/// the lead to the first writer that queued meanwhile. Every caller still returns only once its own write is
/// durable, a caller's successive writes keep their order, and no task is spawned: each leader commits the batch
/// that holds its own write.
///
/// Atomic commits (``SQLiteKV/commit(_:ifUnchanged:)``) batch the same way: the batch's transaction is
/// `BEGIN IMMEDIATE`, so SQLite's write lock is held, against every process on the file, from the first check of
/// expected values to `COMMIT`, and the writes of a batch run one after another inside it, exactly as if each had
/// its own transaction. Each write runs in its own savepoint, so a write that fails is undone alone and the others
/// still commit; a batch whose `COMMIT` fails is retried one write per transaction. Either way each caller gets the
/// outcome of its own write, exactly as without batching.
final class SQLiteKVGroupCommit: Sendable {
    /// One write: statements run in the batch's transaction, returning whether they applied (a conditional commit
    /// whose expected values did not match returns `false` having written nothing).
    struct Write: Sendable {
        let run: @Sendable (Database) throws -> Bool

        init(run: @escaping @Sendable (Database) throws -> Bool) {
            self.run = run
        }

        /// One statement and its arguments.
        init(sql: String, arguments: StatementArguments) {
            run = { db in
                try db.cachedStatement(sql: sql).execute(arguments: arguments)
                return true
            }
        }
    }

    private enum Role {
        /// Commit the pending batch.
        case lead
        /// Another leader committed this write, which returned this.
        case done(Bool)
    }

    private struct Waiter {
        let write: Write
        let continuation: CheckedContinuation<Role, any Error>
    }

    private struct State {
        var pending: [Waiter] = []
        var leading = false
    }

    /// At most this many writes share a transaction, which bounds how long a leader (and the writers behind it)
    /// wait.
    static let maximumBatch = 256

    private let pool: DatabasePool
    private let state = Mutex(State())

    init(pool: DatabasePool) {
        self.pool = pool
    }

    /// Runs `write` in a transaction shared with the writes queued beside it; returns once it is committed, with
    /// what `write` returned.
    @discardableResult
    func perform(_ write: Write) async throws -> Bool {
        let role = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Role, any Error>) in
            let lead = state.withLock { state in
                state.pending.append(Waiter(write: write, continuation: continuation))
                // Nobody leads only when nothing is pending, so this write is first in the batch it leads.
                let lead = !state.leading
                state.leading = true
                return lead
            }
            if lead { continuation.resume(returning: .lead) }
        }
        switch role {
        case .lead: return try await lead()
        case .done(let applied): return applied
        }
    }

    /// Commits the next batch (which holds the leader's own write, queued first), settles every writer in it, and
    /// passes the lead on. Returns or throws the leader's own write's outcome.
    private func lead() async throws -> Bool {
        let batch = state.withLock { state in
            let batch = Array(state.pending.prefix(Self.maximumBatch))
            state.pending.removeFirst(batch.count)
            return batch
        }
        let outcomes = await commit(batch.map(\.write))
        let next = state.withLock { state -> Waiter? in
            if let first = state.pending.first { return first }
            state.leading = false
            return nil
        }
        // The leader is batch[0]: it resumed already and gets its own outcome by returning or throwing.
        for (waiter, outcome) in zip(batch, outcomes).dropFirst() {
            switch outcome {
            case .success(let applied): waiter.continuation.resume(returning: .done(applied))
            case .failure(let error): waiter.continuation.resume(throwing: error)
            }
        }
        next?.continuation.resume(returning: .lead)
        return try outcomes[0].get()
    }

    /// Each write's outcome: one `BEGIN IMMEDIATE` transaction with a savepoint per write, or, if its `COMMIT`
    /// fails, one transaction per write.
    private func commit(_ writes: [Write]) async -> [Result<Bool, any Error>] {
        if writes.count > 1 {
            do {
                return try await pool.writeWithoutTransaction { db in
                    var outcomes: [Result<Bool, any Error>] = []
                    try db.inTransaction(.immediate) {
                        for write in writes {
                            try db.execute(sql: "SAVEPOINT write")
                            do {
                                outcomes.append(.success(try write.run(db)))
                                try db.execute(sql: "RELEASE write")
                            } catch {
                                try db.execute(sql: "ROLLBACK TO write")
                                try db.execute(sql: "RELEASE write")
                                outcomes.append(.failure(error))
                            }
                        }
                        return .commit
                    }
                    return outcomes
                }
            } catch {
                // The transaction itself failed (busy, I/O): nothing of it was committed; each write alone.
            }
        }
        var outcomes: [Result<Bool, any Error>] = []
        for write in writes {
            do {
                outcomes.append(.success(try await pool.writeWithoutTransaction { db in
                    var applied = false
                    try db.inTransaction(.immediate) {
                        applied = try write.run(db)
                        return applied ? .commit : .rollback
                    }
                    return applied
                }))
            } catch {
                outcomes.append(.failure(error))
            }
        }
        return outcomes
    }
}
