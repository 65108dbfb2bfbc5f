import Foundation
public import PostgresNIO

/// The table and statements of ``PostgresKV``. Not API: exposed to the PostgreSQL KV benchmark (which sends the
/// very same prepared statements through postgres-nio directly) as `@_spi(Benchmarking)`, like `SQLiteKVSchema`.
///
/// One table holds every namespace of a database; `namespace` keeps bindings and processes apart. The key is
/// `bytea` holding the key's UTF-8 bytes: `bytea` compares bytewise (no collation applies), so the primary-key
/// index is in exactly the UTF-8 byte order `list` must return, and canonically equivalent strings stay different
/// keys. Every value is bound as a parameter of a prepared statement, never spliced into SQL text.
@_spi(Benchmarking) public enum PostgresKVSchema {
    /// The table, in the connection's `search_path` (usually `public`).
    public static let table = "workers_kv"

    /// Creates the table and its expiration index. Idempotent; run under ``schemaLock`` so that processes starting
    /// at once do not race on the catalog (two concurrent `CREATE TABLE IF NOT EXISTS` can fail).
    public static let create: [PostgresQuery] = [
        """
        CREATE TABLE IF NOT EXISTS workers_kv (
            namespace text NOT NULL,
            key bytea NOT NULL,
            value bytea NOT NULL,
            metadata text,
            expiration bigint,
            PRIMARY KEY (namespace, key)
        )
        """,
        """
        CREATE INDEX IF NOT EXISTS workers_kv_expiration ON workers_kv (namespace, expiration)
            WHERE expiration IS NOT NULL
        """,
    ]

    /// Whether the table and index exist (no privilege needed, unlike `CREATE ... IF NOT EXISTS`).
    public static let exists: PostgresQuery = """
        SELECT to_regclass('workers_kv') IS NOT NULL AND to_regclass('workers_kv_expiration') IS NOT NULL
        """

    /// The advisory lock (two-int form) that serialises schema creation.
    public static let schemaLock: (Int32, Int32) = (lockSpace, 0)

    /// The first half of the two-int advisory locks this package takes (`'WKV'` in ASCII); the second is the
    /// namespace's hash. Key locks use the one-bigint form, a separate lock space in PostgreSQL.
    public static let lockSpace: Int32 = 0x574B56

    /// Live keys of `$1` in `[$2, $3)` at time `$4`, in byte order, at most `$5`: one range scan of the primary key.
    public static let list = """
        SELECT key, metadata, expiration FROM workers_kv
        WHERE namespace = $1 AND key >= $2 AND key < $3 AND (expiration IS NULL OR expiration > $4)
        ORDER BY key LIMIT $5
        """

    /// Deletes up to `$3` entries of `$1` expired at `$2`, found through the expiration index, skipping rows a
    /// writer holds (so a sweep never waits and never deadlocks); returns how many.
    public static let sweep = """
        WITH swept AS (
            DELETE FROM workers_kv WHERE namespace = $1 AND expiration <= $2 AND key = ANY (ARRAY(
                SELECT key FROM workers_kv WHERE namespace = $1 AND expiration <= $2
                LIMIT $3 FOR UPDATE SKIP LOCKED))
            RETURNING 1)
        SELECT count(*)::bigint FROM swept
        """

    /// A commit's first lock: the namespace's, shared (`$1`, `$2`: ``PostgresKVLocks/namespace``).
    public static let lockNamespaceShared = "SELECT pg_advisory_xact_lock_shared($1, $2)"
    /// The namespace's lock, exclusive: taken by a commit that deletes a prefix, it waits for and holds off every
    /// other write of the namespace, so no put can land in the range while it is deleted.
    public static let lockNamespaceExclusive = "SELECT pg_advisory_xact_lock($1, $2)"
    /// The commit's key locks, `$1` sorted ascending, taken in that order.
    public static let lockKeys = """
        SELECT pg_advisory_xact_lock(id) FROM unnest($1::bigint[]) WITH ORDINALITY AS locks(id, n) ORDER BY n
        """
    /// The current values of the keys `$2` of `$1`, once locked.
    public static let readExpected = """
        SELECT key, value, expiration FROM workers_kv WHERE namespace = $1 AND key = ANY ($2::bytea[])
        """
    /// A put inside a commit, whose locks are already held: `$1`-`$5` as in ``Put``.
    public static let upsert = """
        INSERT INTO workers_kv (namespace, key, value, metadata, expiration) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (namespace, key) DO UPDATE
            SET value = excluded.value, metadata = excluded.metadata, expiration = excluded.expiration
        """
    /// A delete inside a commit: `$1` namespace, `$2` key.
    public static let deleteKey = "DELETE FROM workers_kv WHERE namespace = $1 AND key = $2"
    /// A prefix delete inside a commit: the keys of `$1` in `[$2, $3)`.
    public static let deleteRange = "DELETE FROM workers_kv WHERE namespace = $1 AND key >= $2 AND key < $3"
}
