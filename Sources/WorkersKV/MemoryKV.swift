import Foundation
import Synchronization
import WorkersRuntime

/// A KV namespace in memory: for tests and throwaway development.
public final class MemoryKV: KVNamespace {
    private struct Stored {
        var value: Data
        var metadata: JSONValue?
        var expiration: Int?
    }

    private let storage = Mutex<[String: Stored]>([:])
    private let now: @Sendable () -> Date

    /// Creates an empty namespace.
    /// - Parameter now: The clock used for expiry (inject one to test expiry without sleeping).
    public init(now: @escaping @Sendable () -> Date = Date.init) {
        self.now = now
    }

    public func getEntry(_ key: String) async throws -> KVEntry? {
        try KVLimits.validateKey(key, operation: "GET")
        let now = now()
        return storage.withLock { storage in
            guard let stored = storage[key] else { return nil }
            if KVLimits.isExpired(stored.expiration, now: now) {
                storage.removeValue(forKey: key)
                return nil
            }
            return KVEntry(value: stored.value, metadata: stored.metadata, expiration: stored.expiration)
        }
    }

    public func put(_ key: String, bytes value: Data, options: KVPutOptions) async throws {
        let (expiration, _) = try KVLimits.validatePut(key: key, valueBytes: value.count, options: options, now: now())
        storage.withLock { $0[key] = Stored(value: value, metadata: options.metadata, expiration: expiration) }
    }

    public func delete(_ key: String) async throws {
        try KVLimits.validateKey(key, operation: "DELETE")
        _ = storage.withLock { $0.removeValue(forKey: key) }
    }

    public func list(_ options: KVListOptions) async throws -> KVListResult {
        try KVLimits.validateList(options)
        let after = try options.cursor.map(KVLimits.key(fromCursor:))
        let now = now()
        let prefix = Array((options.prefix ?? "").utf8)
        let live = storage.withLock { storage in
            storage.filter { !KVLimits.isExpired($0.value.expiration, now: now) }
        }
        let sorted = live.keys
            .filter { Array($0.utf8).starts(with: prefix) }
            .filter { key in after.map { Array(key.utf8).lexicographicallyPrecedes(Array($0.utf8)) == false && key != $0 } ?? true }
            .sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let page = sorted.prefix(options.limit)
        let keys = page.map { KVListKey(name: $0, expiration: live[$0]?.expiration, metadata: live[$0]?.metadata) }
        let complete = sorted.count <= options.limit
        return KVListResult(keys: keys, listComplete: complete, cursor: complete ? nil : page.last.map(KVLimits.cursor(after:)))
    }
}
