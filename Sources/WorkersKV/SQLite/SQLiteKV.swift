public import Foundation
import GRDB
import GRDBSQLite
import Synchronization
import WorkersRuntime

/// A KV namespace in one SQLite database file: the default backend.
///
/// The database runs in WAL mode with `synchronous = FULL`, so a `put` that returned has reached the disk and
/// readers never wait for the writer. Writes, lists and sweeps run on GRDB's own dispatch queues (one writer, a
/// pool of readers), never on the caller's thread; `get` by default does its one indexed lookup on the caller's
/// thread, which is faster than a hop (``Configuration/inlineGets``). Puts and deletes that arrive while another
/// commit is running are committed together, in one transaction and one flush (group commit), and each returns
/// once its own write is durable. Several processes (the server and the `kv key` CLI) may open the same file;
/// SQLite's locking keeps them consistent.
///
/// ```swift
/// let kv = try SQLiteKV(path: URL(filePath: ".wrangler/state/kv/OAUTH_KV.sqlite"))
/// try await kv.put("client:abc", json: client, expirationTtl: 3600)
/// let page = try await kv.list(prefix: "client:", limit: 100)
/// try kv.close()
/// ```
///
/// Expired entries are never returned. `get` deletes an expired entry it meets, ``sweepExpired()`` deletes all of
/// them through the expiration index, and ``Configuration/sweepInterval`` runs that sweep periodically.
public final class SQLiteKV: KVAtomicNamespace, KVExpirySweeping {
    /// Tuning of a ``SQLiteKV``.
    public struct Configuration: Sendable {
        /// How often to delete expired entries in the background; `nil` (the default) never does.
        public var sweepInterval: Duration?
        /// How many read connections may run at once.
        public var maximumReaderCount: Int
        /// How long a write waits for another process's write lock before failing.
        public var busyTimeout: Duration
        /// Whether `get` runs its single indexed lookup on the calling thread (on a read-only SQLite handle of its
        /// own, up to ``maximumReaderCount`` of them) instead of hopping to one of GRDB's reader queues and back.
        ///
        /// On by default. A lookup in cached pages takes a few microseconds, less than the two thread switches of
        /// a hop, so this makes `get` several times faster (see `docs/benchmarks.md`). It occupies the caller's
        /// thread for the lookup itself, never for a lock (a busy database falls back to the hop), and for a disk
        /// read when the page is not cached: turn it off if you call `get` from a NIO event loop or keep the
        /// database on slow storage. `list`, writes and sweeps always run on GRDB's queues.
        public var inlineGets: Bool

        /// Creates a configuration.
        /// - Parameters:
        ///   - sweepInterval: How often to delete expired entries in the background; `nil` never does.
        ///   - maximumReaderCount: How many read connections may run at once.
        ///   - busyTimeout: How long a write waits for another process's write lock.
        ///   - inlineGets: Whether `get` reads on the calling thread instead of hopping to a reader queue.
        public init(
            sweepInterval: Duration? = nil,
            maximumReaderCount: Int = 4,
            busyTimeout: Duration = .seconds(5),
            inlineGets: Bool = true
        ) {
            self.sweepInterval = sweepInterval
            self.maximumReaderCount = maximumReaderCount
            self.busyTimeout = busyTimeout
            self.inlineGets = inlineGets
        }
    }

    /// The database file.
    public let path: URL
    let pool: DatabasePool
    private let now: @Sendable () -> Date
    private let inlineReaders: SQLiteKVInlineReaders?
    private let groupCommit: SQLiteKVGroupCommit
    private let sweeper = Mutex<PeriodicSweep?>(nil)
    private static let sweepBatch = 1000

    /// Opens (creating if needed) the namespace stored at `path`, creating missing parent directories.
    ///
    /// Missing directories are created 0700 and the database file (hence its `-wal` and `-shm`) is 0600, whatever
    /// the umask; an existing database readable by group or others is restricted to its owner.
    /// - Parameters:
    ///   - path: The database file, e.g. `.wrangler/state/kv/OAUTH_KV.sqlite`.
    ///   - configuration: Background sweep and connection settings.
    ///   - now: The clock used for expiry (inject one to test expiry without sleeping).
    /// - Throws: When the directory cannot be created or the file is not a KV database of a known version.
    public init(
        path: URL,
        configuration: Configuration = Configuration(),
        now: @escaping @Sendable () -> Date = Date.init
    ) throws {
        try PrivateFiles.createDirectories(path.deletingLastPathComponent().path)
        // The file exists, 0600, before SQLite opens it: SQLite gives -wal and -shm the database file's mode.
        try PrivateFiles.createPrivateFile(path.path)
        for suffix in ["-wal", "-shm"] { try PrivateFiles.restrict(path.path + suffix) }
        var grdb = GRDB.Configuration()
        grdb.label = "WorkersKV.SQLiteKV"
        grdb.maximumReaderCount = configuration.maximumReaderCount
        let timeout = configuration.busyTimeout.components
        grdb.busyMode = .timeout(Double(timeout.seconds) + Double(timeout.attoseconds) / 1e18)
        let pool = try DatabasePool(path: path.path, configuration: grdb)
        try pool.writeWithoutTransaction { db in
            // GRDB sets NORMAL with WAL; FULL makes every commit durable once it returns.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.inTransaction(.immediate) {
                let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                guard version <= SQLiteKVSchema.version else {
                    throw KVError(
                        operation: "OPEN",
                        status: 500,
                        message: "\(path.path) has KV schema version \(version); this build knows up to \(SQLiteKVSchema.version)."
                    )
                }
                try db.execute(sql: SQLiteKVSchema.create)
                try db.execute(sql: "PRAGMA user_version = \(SQLiteKVSchema.version)")
                return .commit
            }
        }
        self.path = path
        self.pool = pool
        self.groupCommit = SQLiteKVGroupCommit(pool: pool)
        self.now = now
        self.inlineReaders = configuration.inlineGets
            ? SQLiteKVInlineReaders(path: path.path, maximumCount: configuration.maximumReaderCount)
            : nil
        if let interval = configuration.sweepInterval {
            let sweep = PeriodicSweep(sweeping: self, every: interval, location: path.path)
            sweeper.withLock { $0 = sweep }
        }
    }

    public func getEntry(_ key: String) async throws -> KVEntry? {
        try KVLimits.validateKey(key, operation: "GET")
        let id = Data(key.utf8)
        // One statement is atomic on its own: no transaction needed.
        let found: (Data, String?, Int?)?
        if let inline = try inlineReaders?.get(id) {
            found = inline
        } else {
            found = try await pool.unsafeRead { db in try Self.select(id, in: db) }
        }
        guard let (value, metadata, expiration) = found else { return nil }
        let nowSeconds = Self.seconds(now())
        if let expiration, expiration <= nowSeconds {
            try await groupCommit.perform(.init(sql: SQLiteKVSchema.deleteIfExpired, arguments: [id, nowSeconds]))
            return nil
        }
        return KVEntry(value: value, metadata: try metadata.map(Self.parseMetadata), expiration: expiration)
    }

    public func put(_ key: String, bytes value: Data, options: KVPutOptions) async throws {
        let (expiration, metadata) = try KVLimits.validatePut(
            key: key,
            valueBytes: value.count,
            options: options,
            now: now()
        )
        let arguments: StatementArguments = [
            Data(key.utf8), value, metadata.map { String(decoding: $0, as: UTF8.self) }, expiration,
        ]
        try await groupCommit.perform(.init(sql: SQLiteKVSchema.upsert, arguments: arguments))
    }

    public func delete(_ key: String) async throws {
        try KVLimits.validateKey(key, operation: "DELETE")
        let id = Data(key.utf8)
        try await groupCommit.perform(.init(sql: SQLiteKVSchema.delete, arguments: [id]))
    }

    public func list(_ options: KVListOptions) async throws -> KVListResult {
        try KVLimits.validateList(options)
        let after = try options.cursor.map(KVLimits.key(fromCursor:)).map { Data($0.utf8) }
        let prefix = Array((options.prefix ?? "").utf8)
        let upperBound = KVKeyOrder.upperBound(ofPrefix: prefix).map { Data($0) }
        let sql = SQLiteKVSchema.list(prefix: !prefix.isEmpty, after: after != nil, upperBound: upperBound != nil)
        let arguments: StatementArguments = [
            Self.seconds(now()), Data(prefix), after, upperBound, options.limit + 1,
        ]
        let rows = try await pool.unsafeRead { db -> [(Data, String?, Int?)] in
            let statement = try db.cachedStatement(sql: sql)
            return try Row.fetchAll(statement, arguments: arguments).map { ($0[0], $0[1], $0[2]) }
        }
        let complete = rows.count <= options.limit
        let keys = try rows.prefix(options.limit).map { key, metadata, expiration in
            KVListKey(
                name: String(decoding: key, as: UTF8.self),
                expiration: expiration,
                metadata: try metadata.map(Self.parseMetadata)
            )
        }
        return KVListResult(page: keys, complete: complete)
    }

    /// Applies `changes` in a `BEGIN IMMEDIATE` transaction, which holds SQLite's write lock from its first
    /// statement: no other writer, in this process (GRDB's writer queue) or another on the same file (SQLite's file
    /// lock, waited for up to ``Configuration/busyTimeout``), runs between reading the expected values and the
    /// commit. Concurrent commits and puts share that transaction (group commit, each in its own savepoint, one
    /// after another), so they pay for one `fsync` together. With `synchronous = FULL` the commit is durable once
    /// this returns.
    public func commit(_ changes: [KVChange], ifUnchanged expected: [String: Data?]) async throws -> Bool {
        let now = now()
        let nowSeconds = Self.seconds(now)
        let plan = try KVCommitPlan(changes, expected: expected, now: now)
        return try await groupCommit.perform(.init { db in
            for (key, value) in plan.expected {
                let found = try Self.select(Data(key.utf8), in: db)
                let current = found.flatMap { value, _, expiration in expiration.map { $0 <= nowSeconds } == true ? nil : value }
                guard current == value else { return false }
            }
            for step in plan.steps { try Self.execute(step, in: db) }
            return true
        })
    }

    private static func execute(_ step: KVCommitPlan.Step, in db: Database) throws {
        switch step {
        case .put(let key, let value, _, let metadataJSON, let expiration):
            let metadata = metadataJSON.map { String(decoding: $0, as: UTF8.self) }
            try db.cachedStatement(sql: SQLiteKVSchema.upsert).execute(arguments: [Data(key.utf8), value, metadata, expiration])
        case .delete(let key):
            try db.cachedStatement(sql: SQLiteKVSchema.delete).execute(arguments: [Data(key.utf8)])
        case .deleteRange(_, let lowerBound, let upperBound?):
            try db.cachedStatement(sql: SQLiteKVSchema.deleteRange).execute(arguments: [Data(lowerBound), Data(upperBound)])
        case .deleteRange(_, let lowerBound, nil):
            try db.cachedStatement(sql: SQLiteKVSchema.deleteFrom).execute(arguments: [Data(lowerBound)])
        }
    }

    @discardableResult
    public func sweepExpired() async throws -> Int {
        let nowSeconds = Self.seconds(now())
        var removed = 0
        while true {
            // Small batches keep each write transaction short, so puts are never held up for long.
            let batch = try await pool.write { db in
                try db.cachedStatement(sql: SQLiteKVSchema.sweep).execute(arguments: [nowSeconds, Self.sweepBatch])
                return db.changesCount
            }
            removed += batch
            if batch < Self.sweepBatch { return removed }
        }
    }

    /// Stops the background sweep and closes every connection; later operations throw.
    public func close() throws {
        sweeper.withLock { sweeper in
            sweeper?.stop()
            sweeper = nil
        }
        inlineReaders?.close()
        try pool.close()
    }

    private static func select(_ id: Data, in db: Database) throws -> (Data, String?, Int?)? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: SQLiteKVSchema.select), arguments: [id]) else {
            return nil
        }
        return (row[0], row[1], row[2])
    }

    /// Whole seconds since the epoch, rounded down: an entry is expired when `expiration <= seconds(now)`, which
    /// for whole-second expirations is the same test as ``KVLimits/isExpired(_:now:)``.
    private static func seconds(_ date: Date) -> Int {
        Int(date.timeIntervalSince1970.rounded(.down))
    }

    private static func parseMetadata(_ text: String) throws -> JSONValue {
        try JSONValue(parsing: Data(text.utf8))
    }
}
