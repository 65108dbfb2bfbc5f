import Foundation
import GRDBSQLite
import Synchronization

/// Read-only SQLite connections for ``SQLiteKV``'s inline gets, used on the calling thread.
///
/// Each is a plain SQLite handle (opened read-only, without SQLite's per-connection mutex) with the one lookup
/// statement prepared once; a caller checks one out, steps the statement and checks it back in. This skips what
/// a GRDB read costs on top of SQLite's own work (a `DispatchQueue.sync`, the statement-cache lookup by SQL text,
/// building rows), which on an API request that reads one token record was a fifth of the read. Everything else
/// in ``SQLiteKV`` (writes, lists, sweeps, and the fallback hop) goes through GRDB.
///
/// A get that finds every connection in use, or SQLite busy (WAL readers almost never are), gets `nil` here and
/// falls back to the hopping path instead of waiting: the caller's thread only ever waits for the read itself.
final class SQLiteKVInlineReaders: Sendable {
    /// One entry's columns: value, metadata JSON, expiration.
    typealias Row = (value: Data, metadata: String?, expiration: Int?)

    private struct State {
        var idle: [Connection] = []
        var opened = 0
        var closed = false
    }

    private enum Checkout {
        case reuse(Connection)
        case open
        case busy
    }

    private let path: String
    private let maximumCount: Int
    private let state = Mutex(State())

    init(path: String, maximumCount: Int) {
        self.path = path
        self.maximumCount = maximumCount
    }

    /// The entry stored under `key` (`.some(nil)` when there is none); `nil` when every connection is in use or
    /// SQLite is busy.
    /// - Throws: ``KVStorageError`` when SQLite fails otherwise (an I/O error, a corrupt file).
    func get(_ key: Data) throws -> Row?? {
        let checkout = state.withLock { state -> Checkout in
            if state.closed { return .busy }
            if let connection = state.idle.popLast() { return .reuse(connection) }
            guard state.opened < maximumCount else { return .busy }
            state.opened += 1
            return .open
        }
        let connection: Connection
        switch checkout {
        case .busy: return nil
        case .reuse(let existing): connection = existing
        case .open:
            guard let opened = Connection(path: path) else {
                state.withLock { $0.opened -= 1 }
                return nil
            }
            connection = opened
        }
        defer { checkIn(connection) }
        return try connection.get(key)
    }

    /// Closes idle connections now and busy ones when they come back.
    func close() {
        let idle = state.withLock { state in
            state.closed = true
            defer { state.idle = [] }
            return state.idle
        }
        for connection in idle { connection.close() }
    }

    private func checkIn(_ connection: Connection) {
        let closed = state.withLock { state in
            if !state.closed { state.idle.append(connection) }
            return state.closed
        }
        if closed { connection.close() }
    }
}

extension SQLiteKVInlineReaders {
    /// One read-only handle and its prepared lookup. Only ever used by the caller that checked it out, so it needs
    /// no lock of its own (`SQLITE_OPEN_NOMUTEX`); the checkout's `Mutex` orders successive users.
    private final class Connection: @unchecked Sendable {
        private var handle: OpaquePointer?
        private var select: OpaquePointer?

        /// Opens `path` read-only; `nil` when it cannot be opened (the caller then takes the hopping path, which
        /// reports the error).
        init?(path: String) {
            let flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX
            guard sqlite3_open_v2(path, &handle, flags, nil) == SQLITE_OK,
                sqlite3_prepare_v3(handle, SQLiteKVSchema.select, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &select, nil)
                    == SQLITE_OK
            else {
                close()
                return nil
            }
        }

        deinit { close() }

        func close() {
            sqlite3_finalize(select)
            sqlite3_close_v2(handle)
            select = nil
            handle = nil
        }

        /// Steps the lookup once; `nil` when SQLite is busy.
        func get(_ key: Data) throws -> Row?? {
            guard let select else { return nil }
            return try key.withUnsafeBytes { key -> Row?? in
                defer {
                    sqlite3_reset(select)
                    sqlite3_clear_bindings(select)
                }
                // SQLITE_STATIC (nil): the key's bytes outlive the step.
                guard sqlite3_bind_blob(select, 1, key.baseAddress, Int32(key.count), nil) == SQLITE_OK else { throw failure("bind") }
                switch sqlite3_step(select) {
                case SQLITE_ROW:
                    let length = Int(sqlite3_column_bytes(select, 0))
                    let value = sqlite3_column_blob(select, 0).map { Data(bytes: $0, count: length) } ?? Data()
                    let metadata = sqlite3_column_text(select, 1).map { String(cString: $0) }
                    let expiration = sqlite3_column_type(select, 2) == SQLITE_NULL ? nil : Int(sqlite3_column_int64(select, 2))
                    return .some((value, metadata, expiration))
                case SQLITE_DONE:
                    return .some(nil)
                case let code where code & 0xFF == SQLITE_BUSY || code & 0xFF == SQLITE_LOCKED:
                    return nil
                default:
                    throw failure("step")
                }
            }
        }

        private func failure(_ operation: String) -> KVStorageError {
            KVStorageError("\(operation) \(SQLiteKVSchema.select): \(String(cString: sqlite3_errmsg(handle)))")
        }
    }
}
