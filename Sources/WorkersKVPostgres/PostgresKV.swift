public import Foundation
public import Logging
public import PostgresNIO
public import WorkersKV
import Synchronization
import WorkersRuntime

/// A KV namespace in a PostgreSQL database, shared by every process and host that connects to it.
///
/// All namespaces of a database live in one table, `workers_kv`, created on first use; the namespace name keeps
/// them apart (``PostgresKVSchema``). It has the Workers KV semantics and limits of every backend of this package
/// and is a ``KVAtomicNamespace``: ``commit(_:ifUnchanged:)`` is one transaction, serialised with every other write
/// of its keys through advisory locks, from any process.
///
/// ```swift
/// let kv = try PostgresKV(url: "postgres://kv:s3cret@db.internal/app?sslmode=verify-full", namespace: "OAUTH_KV")
/// try await kv.put("client:abc", json: client, expirationTtl: 3600)
/// let page = try await kv.list(prefix: "client:", limit: 100)
/// await kv.close()
/// ```
///
/// Connections come from postgres-nio's `PostgresClient` pool, which runs on a task the namespace owns until
/// ``close()``. When the server cannot be reached, operations throw `KVUnavailableError` within
/// ``Configuration/operationTimeout`` (servers answer 503), and the namespace reconnects by itself once the server
/// is back. Other database failures throw `KVStorageError`.
public final class PostgresKV: KVAtomicNamespace, KVExpirySweeping {
    /// The namespace: rows of other namespaces in the same table are never seen or touched.
    public let namespace: String
    /// Where the data lives, without credentials: `PostgreSQL at db.internal:5432/app`.
    public var endpoint: String { connections.endpoint }

    let connections: PostgresKVConnections
    let now: @Sendable () -> Date
    let logger: Logger
    let namespaceLock: (Int32, Int32)
    private let schemaReady = Mutex(false)
    private let sweeper = Mutex<Task<Void, Never>?>(nil)
    private static let sweepBatch = 1000

    /// Opens `namespace` in the database that `client` connects to. Nothing is sent to the server until the first
    /// operation, which creates the table if needed.
    /// - Parameters:
    ///   - client: The connection settings, e.g. from ``PostgresURL/clientConfiguration(maximumConnections:)``.
    ///   - namespace: The namespace name (a binding's id or name): 1-256 bytes, no NUL.
    ///   - configuration: Timeouts and the background sweep.
    ///   - now: The clock used for expiry (inject one to test expiry without sleeping).
    ///   - logger: Where the pool logs connection failures and the sweep its errors.
    /// - Throws: ``PostgresKVConfigurationError`` for an unusable namespace name.
    public init(
        client: PostgresClient.Configuration,
        namespace: String,
        configuration: Configuration = Configuration(),
        now: @escaping @Sendable () -> Date = Date.init,
        logger: Logger = Logger(label: "WorkersKV.PostgresKV")
    ) throws {
        guard !namespace.isEmpty, namespace.utf8.count <= 256, !namespace.utf8.contains(0) else {
            throw PostgresKVConfigurationError("\"\(namespace)\" cannot name a namespace (1-256 bytes, no NUL)")
        }
        self.namespace = namespace
        self.now = now
        self.logger = logger
        self.namespaceLock = PostgresKVLocks.namespaceLock(namespace)
        self.connections = PostgresKVConnections(
            client: client, timeout: configuration.operationTimeout, reconnectDelay: configuration.reconnectDelay,
            logger: logger
        )
        if let interval = configuration.sweepInterval { startSweeping(every: interval) }
    }

    /// Opens `namespace` in the database a connection URL names (``PostgresURL``).
    /// - Throws: ``PostgresKVConfigurationError`` for a malformed URL or namespace name.
    public convenience init(
        url: String,
        namespace: String,
        configuration: Configuration = Configuration(),
        now: @escaping @Sendable () -> Date = Date.init,
        logger: Logger = Logger(label: "WorkersKV.PostgresKV")
    ) throws {
        let client = try PostgresURL(url).clientConfiguration(maximumConnections: configuration.maximumConnections)
        try self.init(client: client, namespace: namespace, configuration: configuration, now: now, logger: logger)
    }

    deinit {
        sweeper.withLock { $0?.cancel() }
    }

    public func getEntry(_ key: String) async throws -> KVEntry? {
        try KVLimits.validateKey(key, operation: "GET")
        let statement = PostgresKVSchema.Get(namespace: namespace, key: Data(key.utf8), now: Self.seconds(now()))
        let found = try await perform("GET") { connection in
            var found: PostgresKVSchema.Get.Row?
            for try await row in try await connection.execute(statement, logger: Self.quiet) { found = row }
            return found
        }
        guard let (value, metadata, expiration) = found else { return nil }
        return KVEntry(value: value, metadata: try metadata.map(Self.parseMetadata), expiration: expiration)
    }

    public func put(_ key: String, bytes value: Data, options: KVPutOptions) async throws {
        let (expiration, metadata) = try KVLimits.validatePut(key: key, valueBytes: value.count, options: options, now: now())
        let id = Data(key.utf8)
        let row = PostgresKVRow(
            namespace: namespace, key: id, value: value,
            metadata: metadata.map { String(decoding: $0, as: UTF8.self) }, expiration: expiration
        )
        let statement = PostgresKVSchema.Put(entry: row, locks: PostgresKVLocks(namespace: namespace, key: id))
        try await perform("PUT") { connection in
            for try await _ in try await connection.execute(statement, logger: Self.quiet) {}
        }
    }

    public func delete(_ key: String) async throws {
        try KVLimits.validateKey(key, operation: "DELETE")
        let id = Data(key.utf8)
        let statement = PostgresKVSchema.Delete(namespace: namespace, key: id, locks: PostgresKVLocks(namespace: namespace, key: id))
        try await perform("DELETE") { connection in
            for try await _ in try await connection.execute(statement, logger: Self.quiet) {}
        }
    }

    public func list(_ options: KVListOptions) async throws -> KVListResult {
        try KVLimits.validateList(options)
        let prefix = Array((options.prefix ?? "").utf8)
        // [lower, upper): the prefix's range, starting strictly after the cursor's key (its bytes + 0x00 is the
        // smallest string above it).
        var lower = prefix
        if let cursor = options.cursor {
            let after = Array(try KVLimits.key(fromCursor: cursor).utf8) + [0]
            if prefix.lexicographicallyPrecedes(after) { lower = after }
        }
        var bindings = PostgresBindings(capacity: 5)
        bindings.append(namespace)
        try bindings.append(Data(lower))
        try bindings.append(Data(PostgresKVCommitPlan.upperBound(ofPrefix: prefix)))
        bindings.append(Self.seconds(now()))
        bindings.append(options.limit + 1)
        let query = PostgresQuery(unsafeSQL: PostgresKVSchema.list, binds: bindings)
        let rows = try await perform("LIST") { connection in
            var rows: [(Data, String?, Int?)] = []
            for try await row in try await connection.query(query, logger: Self.quiet).decode((Data, String?, Int?).self) {
                rows.append(row)
            }
            return rows
        }
        let complete = rows.count <= options.limit
        let keys = try rows.prefix(options.limit).map { key, metadata, expiration in
            KVListKey(
                name: String(decoding: key, as: UTF8.self), expiration: expiration,
                metadata: try metadata.map(Self.parseMetadata)
            )
        }
        return KVListResult(keys: keys, listComplete: complete, cursor: complete ? nil : keys.last.map { KVLimits.cursor(after: $0.name) })
    }

    /// Deletes this namespace's entries expired at its current time, in batches of 1000 rows per statement (each
    /// its own short transaction), skipping rows a writer holds locked (a later sweep gets them).
    @discardableResult
    public func sweepExpired() async throws -> Int {
        var bindings = PostgresBindings(capacity: 3)
        bindings.append(namespace)
        bindings.append(Self.seconds(now()))
        bindings.append(Self.sweepBatch)
        let query = PostgresQuery(unsafeSQL: PostgresKVSchema.sweep, binds: bindings)
        var removed = 0
        while true {
            let batch = try await perform("SWEEP") { connection in
                var count = 0
                for try await swept in try await connection.query(query, logger: Self.quiet).decode(Int.self) { count = swept }
                return count
            }
            removed += batch
            if batch < Self.sweepBatch { return removed }
        }
    }

    /// Stops the background sweep, closes the connections and ends the pool's task; later operations throw
    /// `KVStorageError`.
    public func close() async {
        let sweep = sweeper.withLock { sweeper in
            defer { sweeper = nil }
            return sweeper
        }
        sweep?.cancel()
        await connections.close()
    }

    /// Runs `body` on a connection once the table exists (``PostgresKVConnections/perform(_:_:)``).
    func perform<Value: Sendable>(
        _ operation: String,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Value
    ) async throws -> Value {
        if !schemaReady.withLock({ $0 }) {
            try await connections.perform("CREATE TABLE") { connection in try await Self.createSchema(on: connection) }
            schemaReady.withLock { $0 = true }
        }
        return try await connections.perform(operation, body)
    }

    /// Creates the table unless it exists: checked first without a lock (no privilege needed when it does), and
    /// again under the schema lock, so that of processes starting at once only the first runs the DDL (a late
    /// `CREATE INDEX IF NOT EXISTS` would still lock the table against writes).
    private static func createSchema(on connection: PostgresConnection) async throws {
        if try await schemaExists(on: connection) { return }
        try await connection.kvTransaction(logger: quiet) { connection in
            var lock = PostgresBindings(capacity: 2)
            lock.append(PostgresKVSchema.schemaLock.0)
            lock.append(PostgresKVSchema.schemaLock.1)
            try await connection.run(PostgresQuery(unsafeSQL: "SELECT pg_advisory_xact_lock($1, $2)", binds: lock), logger: quiet)
            if try await schemaExists(on: connection) { return ((), commit: false) }
            for statement in PostgresKVSchema.create { try await connection.run(statement, logger: quiet) }
            return ((), commit: true)
        }
    }

    private static func schemaExists(on connection: PostgresConnection) async throws -> Bool {
        var exists = false
        for try await found in try await connection.query(PostgresKVSchema.exists, logger: quiet).decode(Bool.self) { exists = found }
        return exists
    }

    private func startSweeping(every interval: Duration) {
        let logger = logger
        let task = Task.detached(priority: .background) { [weak self] in
            while !Task.isCancelled {
                do { try await Task.sleep(for: interval) } catch { return }
                guard let self else { return }
                do {
                    try await self.sweepExpired()
                } catch {
                    logger.warning("KV sweep failed", metadata: ["namespace": "\(self.namespace)", "error": "\(error)"])
                }
            }
        }
        sweeper.withLock { $0 = task }
    }

    /// Whole seconds since the epoch, rounded down: an entry is live while `expiration > seconds(now)`, the same
    /// test as `KVLimits.isExpired` for whole-second expirations.
    static func seconds(_ date: Date) -> Int {
        Int(date.timeIntervalSince1970.rounded(.down))
    }

    static func parseMetadata(_ text: String) throws -> JSONValue {
        try JSONValue(parsing: Data(text.utf8))
    }

    /// Statements log nothing: the values they carry are the application's data.
    static let quiet = Logger(label: "WorkersKV.PostgresKV.statements", factory: { _ in SwiftLogNoOpLogHandler() })
}
