public import Foundation
import Synchronization
import WorkersRuntime

/// A KV namespace stored as one file per key, for people who want to read, diff or back up their data as files.
///
/// Each key's file holds a one-line JSON header (key, expiration, metadata) and then the raw value (see
/// `docs/kv.md`). File names are the key with unsafe bytes escaped (`client%3Aabc`), or a SHA-256 of the key when
/// that would be too long, so no key can escape the directory or collide with another. A `put` writes a temporary
/// file, fsyncs it, renames it over the old file and fsyncs the directory: after a crash a key holds its old or
/// its new value, never a torn one. All file I/O runs on a dedicated dispatch queue, never on an event loop.
/// Directories it creates are 0700 (its own directory is restricted to its owner) and record files 0600, whatever
/// the umask.
///
/// ```swift
/// let kv = try FileKV(directory: URL(filePath: ".wrangler/state/kv/OAUTH_KV"))
/// try await kv.put("greeting", "hello")
/// ```
///
/// `list` scans the directory, so it costs time proportional to the number of keys: prefer ``SQLiteKV`` for
/// large namespaces.
///
/// A directory belongs to one process (an exclusive lock on `<directory>.lock`, taken at open): a second process
/// fails to open it with an error naming the holder. Within the process, writes are serialised, so a
/// ``commit(_:ifUnchanged:)`` is atomic against every other writer; each of its files is replaced atomically, but
/// a crash in the middle of a commit of several keys can leave the first of them applied.
public final class FileKV: KVAtomicNamespace, KVExpirySweeping {
    /// Tuning of a ``FileKV``.
    public struct Configuration: Sendable {
        /// How often to delete expired entries in the background; `nil` (the default) never does.
        public var sweepInterval: Duration?

        /// Creates a configuration.
        /// - Parameter sweepInterval: How often to delete expired entries in the background; `nil` never does.
        public init(sweepInterval: Duration? = nil) {
            self.sweepInterval = sweepInterval
        }
    }

    /// The directory holding one file per key.
    public let directory: URL
    private let files: FileKVDirectory
    private let io = BlockingIOQueue(label: "WorkersKV.FileKV")
    private let now: @Sendable () -> Date
    private let sweeper = Mutex<PeriodicSweep?>(nil)
    private let lock: FileKVLock
    private let closed = Mutex(false)

    /// Opens (creating if needed) the namespace stored in `directory`.
    /// - Parameters:
    ///   - directory: The directory, e.g. `.wrangler/state/kv/OAUTH_KV/`; created with its parents if missing.
    ///   - configuration: Background sweep settings.
    ///   - now: The clock used for expiry (inject one to test expiry without sleeping).
    /// - Throws: ``KVStorageError`` when another process holds the directory, or it cannot be created.
    public init(
        directory: URL,
        configuration: Configuration = Configuration(),
        now: @escaping @Sendable () -> Date = Date.init
    ) throws {
        self.directory = directory
        self.files = try FileKVDirectory(path: directory.path)
        self.lock = try FileKVLock.acquire(directory: directory.path)
        self.now = now
        if let interval = configuration.sweepInterval {
            let sweep = PeriodicSweep(sweeping: self, every: interval, location: directory.path)
            sweeper.withLock { $0 = sweep }
        }
    }

    public func getEntry(_ key: String) async throws -> KVEntry? {
        try KVLimits.validateKey(key, operation: "GET")
        let nowSeconds = Self.seconds(now())
        let files = files
        return try await io.run {
            let name = FileKVName.encode(key)
            guard let data = try files.read(name) else { return nil }
            let record: FileKVRecord
            do {
                record = try FileKVRecord(parsing: data)
            } catch {
                throw KVStorageError("\(files.path)/\(name) is not a KV record: \(error)")
            }
            // A hashed name holds exactly one key; anything else would be a SHA-256 collision.
            guard KVKeyOrder.same(record.header.key, key) else { return nil }
            if let expiration = record.header.expiration, expiration <= nowSeconds {
                _ = try files.removeIfExpired(name, nowSeconds: nowSeconds)
                return nil
            }
            return KVEntry(value: record.value, metadata: record.header.metadata, expiration: record.header.expiration)
        }
    }

    public func put(_ key: String, bytes value: Data, options: KVPutOptions) async throws {
        let (expiration, _) = try KVLimits.validatePut(key: key, valueBytes: value.count, options: options, now: now())
        let record = FileKVRecord(key: key, value: value, metadata: options.metadata, expiration: expiration)
        try ensureOpen()
        let files = files
        let lock = lock
        try await io.run {
            try lock.serialized { try files.write(FileKVName.encode(key), try record.encoded()) }
        }
    }

    public func delete(_ key: String) async throws {
        try KVLimits.validateKey(key, operation: "DELETE")
        try ensureOpen()
        let files = files
        let lock = lock
        try await io.run {
            try lock.serialized { try files.remove(FileKVName.encode(key)) }
        }
    }

    public func commit(_ changes: [KVChange], ifUnchanged expected: [String: Data?]) async throws -> Bool {
        let now = now()
        let nowSeconds = Self.seconds(now)
        let plan = try KVCommitPlan(changes, expected: expected, now: now)
        try ensureOpen()
        let files = files
        let lock = lock
        return try await io.run {
            try lock.serialized {
                for (key, value) in plan.expected {
                    guard try Self.liveValue(of: key, in: files, nowSeconds: nowSeconds) == value else { return false }
                }
                for step in plan.steps {
                    switch step {
                    case .put(let key, let value, let metadata, _, let expiration):
                        let record = FileKVRecord(key: key, value: value, metadata: metadata, expiration: expiration)
                        try files.write(FileKVName.encode(key), try record.encoded())
                    case .delete(let key):
                        try files.remove(FileKVName.encode(key))
                    case .deleteRange(let prefix, _, _):
                        for name in try files.names() {
                            guard let key = try Self.key(ofFile: name, in: files), KVKeyOrder.hasPrefix(key, prefix) else { continue }
                            try files.remove(name)
                        }
                    }
                }
                return true
            }
        }
    }

    /// Writes after ``close()`` would bypass the directory's claim: refused.
    private func ensureOpen() throws {
        if closed.withLock({ $0 }) { throw KVStorageError("\(directory.path) was closed; open it again to write") }
    }

    /// The value of `key` unless it is missing or expired.
    private static func liveValue(of key: String, in files: FileKVDirectory, nowSeconds: Int) throws -> Data? {
        guard let data = try files.read(FileKVName.encode(key)) else { return nil }
        let record = try FileKVRecord(parsing: data)
        guard KVKeyOrder.same(record.header.key, key) else { return nil }
        if let expiration = record.header.expiration, expiration <= nowSeconds { return nil }
        return record.value
    }

    public func list(_ options: KVListOptions) async throws -> KVListResult {
        try KVLimits.validateList(options)
        let after = try options.cursor.map(KVLimits.key(fromCursor:)).map { Array($0.utf8) }
        let prefix = Array((options.prefix ?? "").utf8)
        let nowSeconds = Self.seconds(now())
        let files = files
        return try await io.run {
            var candidates: [(bytes: [UInt8], name: String)] = []
            for name in try files.names() {
                guard let key = try Self.key(ofFile: name, in: files) else { continue }
                let bytes = Array(key.utf8)
                guard bytes.starts(with: prefix), after.map({ $0.lexicographicallyPrecedes(bytes) }) ?? true else {
                    continue
                }
                candidates.append((bytes, name))
            }
            candidates.sort { $0.bytes.lexicographicallyPrecedes($1.bytes) }
            var keys: [KVListKey] = []
            var complete = true
            for candidate in candidates {
                // Deleted since the scan, or expired: not listed.
                guard let header = try files.readHeader(candidate.name) else { continue }
                if let expiration = header.expiration, expiration <= nowSeconds { continue }
                if keys.count == options.limit {
                    complete = false
                    break
                }
                keys.append(KVListKey(name: header.key, expiration: header.expiration, metadata: header.metadata))
            }
            return KVListResult(page: keys, complete: complete)
        }
    }

    @discardableResult
    public func sweepExpired() async throws -> Int {
        let now = now()
        let nowSeconds = Self.seconds(now)
        let files = files
        return try await io.run {
            var removed = 0
            for name in try files.names() where FileKVName.decode(name) != nil || FileKVName.isHashed(name) {
                if try files.removeIfExpired(name, nowSeconds: nowSeconds) { removed += 1 }
            }
            // A process killed mid-put leaves its temporary file behind; an hour is far longer than any write.
            try files.removeStaleTemporaries(olderThan: Date().addingTimeInterval(-3600))  // wall clock, like mtimes
            return removed
        }
    }

    /// Stops the background sweep and gives up this FileKV's claim on the directory (the process's last one lets
    /// another process open it). Writes after it throw; reads keep working.
    public func close() {
        sweeper.withLock { sweeper in
            sweeper?.stop()
            sweeper = nil
        }
        let wasOpen = closed.withLock { closed in
            defer { closed = true }
            return !closed
        }
        if wasOpen { lock.release() }
    }

    deinit {
        close()
    }

    /// The name of the file in ``directory`` that holds `key` (`client:abc` is kept in `client%3Aabc`).
    public static func fileName(for key: String) -> String {
        FileKVName.encode(key)
    }

    /// The key stored in file `name`, or `nil` when the file is not an entry (temporary or foreign files).
    private static func key(ofFile name: String, in files: FileKVDirectory) throws -> String? {
        if let key = FileKVName.decode(name) { return key }
        guard FileKVName.isHashed(name) else { return nil }
        return try files.readHeader(name)?.key
    }

    private static func seconds(_ date: Date) -> Int {
        Int(date.timeIntervalSince1970.rounded(.down))
    }
}
