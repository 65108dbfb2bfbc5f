public import Foundation
public import PostgresNIO

/// The prepared statements of the hot paths: named, so each connection parses and plans them once.
extension PostgresKVSchema {
    /// Reads one live entry: `$1` namespace, `$2` key, `$3` now (epoch seconds).
    public struct Get: PostgresPreparedStatement {
        public static let name = "workers_kv_get_v1"
        public static let sql = """
            SELECT value, metadata, expiration FROM workers_kv
            WHERE namespace = $1 AND key = $2 AND (expiration IS NULL OR expiration > $3)
            """
        public static let bindingDataTypes: [PostgresDataType] = [.text, .bytea, .int8]
        public typealias Row = (Data, String?, Int?)

        /// The namespace.
        public var namespace: String
        /// The key's UTF-8 bytes.
        public var key: Data
        /// Epoch seconds: rows expiring at or before it are not returned.
        public var now: Int

        /// A lookup of `key` at `now`.
        public init(namespace: String, key: Data, now: Int) {
            self.namespace = namespace
            self.key = key
            self.now = now
        }

        /// The statement's parameters, in order.
        public func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 3)
            bindings.append(namespace)
            try bindings.append(key)
            bindings.append(now)
            return bindings
        }

        /// Decodes one result row.
        public func decodeRow(_ row: PostgresRow) throws -> Row {
            try row.decode(Row.self)
        }
    }

    /// Inserts or replaces one entry after taking the namespace's shared lock and the key's lock, so that it is
    /// ordered with every conditional commit on the key and every prefix delete of the namespace.
    public struct Put: PostgresPreparedStatement {
        public static let name = "workers_kv_put_v1"
        public static let sql = """
            WITH locks AS MATERIALIZED (SELECT pg_advisory_xact_lock_shared($6, $7), pg_advisory_xact_lock($8))
            INSERT INTO workers_kv (namespace, key, value, metadata, expiration)
            SELECT $1, $2, $3, $4, $5 FROM locks
            ON CONFLICT (namespace, key) DO UPDATE
                SET value = excluded.value, metadata = excluded.metadata, expiration = excluded.expiration
            """
        public static let bindingDataTypes: [PostgresDataType] = [.text, .bytea, .bytea, .text, .int8, .int4, .int4, .int8]
        public typealias Row = ()

        /// The row to store.
        public var entry: PostgresKVRow
        /// The locks of its namespace and key.
        public var locks: PostgresKVLocks

        /// A put of `entry`.
        public init(entry: PostgresKVRow, locks: PostgresKVLocks) {
            self.entry = entry
            self.locks = locks
        }

        /// The statement's parameters, in order.
        public func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 8)
            try entry.bind(into: &bindings)
            bindings.append(locks.namespace.0)
            bindings.append(locks.namespace.1)
            bindings.append(locks.key)
            return bindings
        }

        /// Decodes one result row.
        public func decodeRow(_ row: PostgresRow) throws -> Row {}
    }

    /// Deletes one key after taking the same locks as ``Put`` (a one-time filter, so before the scan).
    public struct Delete: PostgresPreparedStatement {
        public static let name = "workers_kv_delete_v1"
        public static let sql = """
            WITH locks AS MATERIALIZED (SELECT pg_advisory_xact_lock_shared($3, $4), pg_advisory_xact_lock($5))
            DELETE FROM workers_kv WHERE namespace = $1 AND key = $2 AND EXISTS (SELECT FROM locks)
            """
        public static let bindingDataTypes: [PostgresDataType] = [.text, .bytea, .int4, .int4, .int8]
        public typealias Row = ()

        /// The namespace.
        public var namespace: String
        /// The key's UTF-8 bytes.
        public var key: Data
        /// The locks of its namespace and key.
        public var locks: PostgresKVLocks

        /// A delete of `key`.
        public init(namespace: String, key: Data, locks: PostgresKVLocks) {
            self.namespace = namespace
            self.key = key
            self.locks = locks
        }

        /// The statement's parameters, in order.
        public func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 5)
            bindings.append(namespace)
            try bindings.append(key)
            bindings.append(locks.namespace.0)
            bindings.append(locks.namespace.1)
            bindings.append(locks.key)
            return bindings
        }

        /// Decodes one result row.
        public func decodeRow(_ row: PostgresRow) throws -> Row {}
    }
}
