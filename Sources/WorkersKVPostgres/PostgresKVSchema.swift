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
        PostgresQuery(unsafeSQL: commitFunction),
    ]

    /// The function behind ``commit``: a whole atomic commit in one statement, so in one round trip and in the
    /// statement's own transaction. Being PL/pgSQL (volatile), each query in it takes a fresh snapshot, so the
    /// expected values are read after the locks are held, as a multi-statement transaction would.
    ///
    /// Arguments: namespace; its lock (two ints) and whether exclusively; key locks in ascending order; expected
    /// keys, values and whether each is expected present (absent or expired otherwise); the time; then the steps
    /// in order: kind (0 put, 1 delete, 2 delete `[key, upper)`), key, value, metadata (`''`: none), expiration
    /// (`0`: none), upper bound. Returns `false`, having written nothing, when an expected value does not match.
    static let commitFunction = """
        CREATE OR REPLACE FUNCTION workers_kv_commit(
            ns text, ns_lock1 integer, ns_lock2 integer, exclusive boolean, key_locks bigint[],
            expected_keys bytea[], expected_values bytea[], expected_present boolean[], now_s bigint,
            kinds integer[], keys bytea[], vals bytea[], metas text[], expirations bigint[], uppers bytea[]
        ) RETURNS boolean LANGUAGE plpgsql AS $fn$
        DECLARE
            lock_id bigint;
            current bytea;
        BEGIN
            IF exclusive THEN
                PERFORM pg_advisory_xact_lock(ns_lock1, ns_lock2);
            ELSE
                PERFORM pg_advisory_xact_lock_shared(ns_lock1, ns_lock2);
            END IF;
            FOREACH lock_id IN ARRAY key_locks LOOP
                PERFORM pg_advisory_xact_lock(lock_id);
            END LOOP;
            FOR i IN 1 .. coalesce(array_length(expected_keys, 1), 0) LOOP
                current := NULL;
                SELECT value INTO current FROM workers_kv
                    WHERE namespace = ns AND key = expected_keys[i] AND (expiration IS NULL OR expiration > now_s);
                IF expected_present[i] THEN
                    IF current IS NULL OR current <> expected_values[i] THEN RETURN false; END IF;
                ELSIF current IS NOT NULL THEN
                    RETURN false;
                END IF;
            END LOOP;
            FOR i IN 1 .. coalesce(array_length(kinds, 1), 0) LOOP
                IF kinds[i] = 0 THEN
                    INSERT INTO workers_kv (namespace, key, value, metadata, expiration)
                        VALUES (ns, keys[i], vals[i], NULLIF(metas[i], ''), NULLIF(expirations[i], 0))
                        ON CONFLICT (namespace, key) DO UPDATE
                            SET value = excluded.value, metadata = excluded.metadata, expiration = excluded.expiration;
                ELSIF kinds[i] = 1 THEN
                    DELETE FROM workers_kv WHERE namespace = ns AND key = keys[i];
                ELSE
                    DELETE FROM workers_kv WHERE namespace = ns AND key >= keys[i] AND key < uppers[i];
                END IF;
            END LOOP;
            RETURN true;
        END
        $fn$
        """

    /// One atomic commit: ``commitFunction``'s fifteen arguments, `$1`-`$15`.
    static let commit = """
        SELECT workers_kv_commit($1, $2, $3, $4, $5::bigint[], $6::bytea[], $7::bytea[], $8::boolean[], $9,
            $10::integer[], $11::bytea[], $12::bytea[], $13::text[], $14::bigint[], $15::bytea[])
        """

    /// Whether the table and index exist (no privilege needed, unlike `CREATE ... IF NOT EXISTS`).
    public static let exists: PostgresQuery = """
        SELECT to_regclass('workers_kv') IS NOT NULL AND to_regclass('workers_kv_expiration') IS NOT NULL
            AND to_regproc('workers_kv_commit') IS NOT NULL
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
}
