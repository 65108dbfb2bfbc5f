import Foundation
import GRDBSQLite
@_spi(Benchmarking) import WorkersKV

/// The physical reference: the same schema and statements as SQLiteKV, through `sqlite3_*` calls on one
/// connection, with prepared statements reused, synchronously on the calling thread.
final class RawSQLite {
    private var db: OpaquePointer?
    private var select: OpaquePointer?
    private var upsert: OpaquePointer?
    private var remove: OpaquePointer?
    private var list: OpaquePointer?
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(path: String) {
        check(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil), "open")
        exec("PRAGMA journal_mode = WAL")
        exec("PRAGMA synchronous = FULL")
        exec(SQLiteKVSchema.create)
        select = prepare(SQLiteKVSchema.select)
        upsert = prepare(SQLiteKVSchema.upsert)
        remove = prepare(SQLiteKVSchema.delete)
        list = prepare(
            "SELECT key, metadata, expiration FROM kv WHERE (expiration IS NULL OR expiration > ?1)"
                + " AND key >= ?2 AND key < ?3 ORDER BY key LIMIT ?4"
        )
    }

    deinit {
        for statement in [select, upsert, remove, list] { sqlite3_finalize(statement) }
        sqlite3_close_v2(db)
    }

    /// Inserts `count` keys in one transaction (bulk loading, not measured).
    func populate(count: Int, key: (Int) -> String, value: Data) {
        exec("BEGIN")
        for index in 0..<count { put(key(index), value) }
        exec("COMMIT")
    }

    /// The value of `key` copied out, as SQLiteKV returns it.
    func get(_ key: String) -> Data? {
        defer { sqlite3_reset(select) }
        bindKey(select, 1, key)
        guard sqlite3_step(select) == SQLITE_ROW else { return nil }
        let count = Int(sqlite3_column_bytes(select, 0))
        let value = sqlite3_column_blob(select, 0).map { Data(bytes: $0, count: count) } ?? Data()
        _ = sqlite3_column_type(select, 1)  // metadata and expiration are read too
        _ = sqlite3_column_int64(select, 2)
        return value
    }

    func put(_ key: String, _ value: Data) {
        defer { sqlite3_reset(upsert) }
        bindKey(upsert, 1, key)
        value.withUnsafeBytes { _ = sqlite3_bind_blob(upsert, 2, $0.baseAddress, Int32($0.count), Self.transient) }
        sqlite3_bind_null(upsert, 3)
        sqlite3_bind_null(upsert, 4)
        check(sqlite3_step(upsert), "upsert", expect: SQLITE_DONE)
    }

    func delete(_ key: String) {
        defer { sqlite3_reset(remove) }
        bindKey(remove, 1, key)
        check(sqlite3_step(remove), "delete", expect: SQLITE_DONE)
    }

    /// Up to `limit` key names starting with `prefix` (an ASCII prefix, so its upper bound is the last byte + 1).
    func list(prefix: String, limit: Int, now: Int) -> [String] {
        defer { sqlite3_reset(list) }
        var upper = Array(prefix.utf8)
        upper[upper.count - 1] += 1
        sqlite3_bind_int64(list, 1, Int64(now))
        bindKey(list, 2, prefix)
        _ = upper.withUnsafeBytes { sqlite3_bind_blob(list, 3, $0.baseAddress, Int32($0.count), Self.transient) }
        sqlite3_bind_int64(list, 4, Int64(limit + 1))
        var names: [String] = []
        while sqlite3_step(list) == SQLITE_ROW {
            let count = Int(sqlite3_column_bytes(list, 0))
            let bytes = UnsafeRawBufferPointer(start: sqlite3_column_blob(list, 0), count: count)
            names.append(String(decoding: bytes, as: UTF8.self))
        }
        return names
    }

    private func bindKey(_ statement: OpaquePointer?, _ index: Int32, _ key: String) {
        var key = key
        key.withUTF8 { _ = sqlite3_bind_blob(statement, index, $0.baseAddress, Int32($0.count), Self.transient) }
    }

    private func prepare(_ sql: String) -> OpaquePointer? {
        var statement: OpaquePointer?
        check(sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil), "prepare \(sql)")
        return statement
    }

    private func exec(_ sql: String) {
        check(sqlite3_exec(db, sql, nil, nil, nil), sql)
    }

    private func check(_ code: Int32, _ what: String, expect: Int32 = SQLITE_OK) {
        guard code == expect else {
            fatalError("\(what): \(String(cString: sqlite3_errmsg(db)))")
        }
    }
}
