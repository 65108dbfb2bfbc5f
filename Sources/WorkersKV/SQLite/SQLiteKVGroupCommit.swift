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
/// A batch whose transaction fails is retried one write per transaction, so each caller gets the outcome of its
/// own write, exactly as without batching.
final class SQLiteKVGroupCommit: Sendable {
    /// One statement and its arguments.
    struct Write: Sendable {
        let sql: String
        let arguments: StatementArguments

        func execute(in db: Database) throws {
            try db.cachedStatement(sql: sql).execute(arguments: arguments)
        }
    }

    private enum Role {
        /// Commit the pending batch.
        case lead
        /// Another leader committed this write.
        case done
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

    /// Runs `write` in a transaction shared with the writes queued beside it; returns once it is committed.
    func perform(_ write: Write) async throws {
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
        if case .lead = role { try await lead() }
    }

    /// Commits the next batch (which holds the leader's own write, queued first), settles every writer in it, and
    /// passes the lead on. Throws the leader's own write's error.
    private func lead() async throws {
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
            case .success: waiter.continuation.resume(returning: .done)
            case .failure(let error): waiter.continuation.resume(throwing: error)
            }
        }
        next?.continuation.resume(returning: .lead)
        try outcomes[0].get()
    }

    /// Each write's outcome: all succeed together in one transaction, or each is retried in its own.
    private func commit(_ writes: [Write]) async -> [Result<Void, any Error>] {
        do {
            try await pool.write { db in
                for write in writes { try write.execute(in: db) }
            }
            return Array(repeating: .success(()), count: writes.count)
        } catch {
            if writes.count == 1 { return [.failure(error)] }
        }
        var outcomes: [Result<Void, any Error>] = []
        for write in writes {
            do {
                try await pool.write { db in try write.execute(in: db) }
                outcomes.append(.success(()))
            } catch {
                outcomes.append(.failure(error))
            }
        }
        return outcomes
    }
}
