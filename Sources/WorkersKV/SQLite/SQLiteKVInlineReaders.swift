import GRDB
import Synchronization

/// Read-only connections for ``SQLiteKV``'s inline gets, used on the calling thread.
///
/// A GRDB `DatabaseQueue`'s synchronous `unsafeRead` is a `DispatchQueue.sync` around the closure: the closure
/// runs on the caller's thread, with no pool bookkeeping and no schema-version query (the KV schema never
/// changes while open). A get that finds every connection in use, or SQLite busy (WAL readers almost never are),
/// gets `nil` here and falls back to the hopping path instead of waiting: the caller's thread only ever waits for
/// the read itself.
final class SQLiteKVInlineReaders: Sendable {
    private struct State {
        var idle: [DatabaseQueue] = []
        var opened = 0
        var closed = false
    }

    private enum Checkout {
        case reuse(DatabaseQueue)
        case open
        case busy
    }

    private let path: String
    private let configuration: GRDB.Configuration
    private let maximumCount: Int
    private let state = Mutex(State())

    init(path: String, configuration: GRDB.Configuration, maximumCount: Int) {
        var configuration = configuration
        configuration.readonly = true
        // Never wait for a lock on the caller's thread: a busy reader falls back to the hopping path.
        configuration.busyMode = .immediateError
        configuration.label = "WorkersKV.SQLiteKV.inline"
        self.path = path
        self.configuration = configuration
        self.maximumCount = maximumCount
    }

    /// Runs `body` on an idle connection, opening one if fewer than the maximum exist; `nil` when all are busy.
    func read<T>(_ body: (Database) throws -> T) throws -> T? {
        let checkout = state.withLock { state -> Checkout in
            if state.closed { return .busy }
            if let reader = state.idle.popLast() { return .reuse(reader) }
            guard state.opened < maximumCount else { return .busy }
            state.opened += 1
            return .open
        }
        let reader: DatabaseQueue
        switch checkout {
        case .busy: return nil
        case .reuse(let existing): reader = existing
        case .open:
            do {
                reader = try DatabaseQueue(path: path, configuration: configuration)
            } catch {
                state.withLock { $0.opened -= 1 }
                return nil
            }
        }
        defer { checkIn(reader) }
        do {
            return try reader.unsafeRead(body)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            return nil
        }
    }

    /// Closes idle connections now and busy ones when they come back.
    func close() throws {
        let idle = state.withLock { state in
            state.closed = true
            defer { state.idle = [] }
            return state.idle
        }
        for reader in idle { try reader.close() }
    }

    private func checkIn(_ reader: DatabaseQueue) {
        let closed = state.withLock { state in
            if !state.closed { state.idle.append(reader) }
            return state.closed
        }
        if closed { try? reader.close() }
    }
}
