import GRDB

/// The tables and statements of ``SQLiteKV``. Not API: exposed to the KV benchmark (which runs the very same SQL
/// through raw SQLite) as `@_spi(Benchmarking)`, the way swift-http-types exposes its benchmarking hooks.
///
/// One table per database file (one file per namespace). The key is a BLOB holding the key's UTF-8 bytes: BLOBs
/// compare with `memcmp`, so the primary-key index is in exactly the UTF-8 byte order `list` must return, and
/// canonically equivalent but different strings stay different keys.
@_spi(Benchmarking) public enum SQLiteKVSchema {
    /// The `PRAGMA user_version` this code writes and reads.
    public static let version = 1

    /// Creates the table and its indexes (idempotent).
    public static let create = """
        CREATE TABLE IF NOT EXISTS kv (
            key BLOB NOT NULL PRIMARY KEY,
            value BLOB NOT NULL,
            metadata TEXT,
            expiration INTEGER
        );
        CREATE INDEX IF NOT EXISTS kv_expiration ON kv(expiration) WHERE expiration IS NOT NULL;
        """

    /// Reads one entry: `?1` key bytes.
    public static let select = "SELECT value, metadata, expiration FROM kv WHERE key = ?1"

    /// Inserts or replaces one entry: `?1` key, `?2` value (`NULL` stands for an empty value), `?3` metadata JSON,
    /// `?4` expiration.
    public static let upsert = """
        INSERT INTO kv (key, value, metadata, expiration) VALUES (?1, coalesce(?2, x''), ?3, ?4)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value, metadata = excluded.metadata,
            expiration = excluded.expiration
        """

    /// Deletes one entry: `?1` key.
    public static let delete = "DELETE FROM kv WHERE key = ?1"

    /// Deletes every key from `?1` (inclusive) to `?2` (exclusive): the keys of a prefix, through the primary key.
    static let deleteRange = "DELETE FROM kv WHERE key >= ?1 AND key < ?2"

    /// Deletes every key from `?1` on (a prefix of `0xFF` bytes has no upper bound).
    static let deleteFrom = "DELETE FROM kv WHERE key >= ?1"

    /// Deletes one entry only if it is expired: `?1` key, `?2` now in epoch seconds.
    static let deleteIfExpired = "DELETE FROM kv WHERE key = ?1 AND expiration <= ?2"

    /// Deletes up to `?2` expired entries: `?1` now in epoch seconds. Uses the partial `kv_expiration` index.
    static let sweep = """
        DELETE FROM kv WHERE rowid IN (SELECT rowid FROM kv WHERE expiration <= ?1 ORDER BY expiration LIMIT ?2)
        """

    /// A page of live keys in byte order: `?1` now, `?2` the prefix (inclusive lower bound), `?3` the cursor's key
    /// (exclusive), `?4` the prefix's upper bound (exclusive), `?5` limit. Bounds that do not apply are left out.
    static func list(prefix: Bool, after: Bool, upperBound: Bool) -> String {
        var sql = "SELECT key, metadata, expiration FROM kv WHERE (expiration IS NULL OR expiration > ?1)"
        if prefix { sql += " AND key >= ?2" }
        if after { sql += " AND key > ?3" }
        if upperBound { sql += " AND key < ?4" }
        return sql + " ORDER BY key LIMIT ?5"
    }
}
