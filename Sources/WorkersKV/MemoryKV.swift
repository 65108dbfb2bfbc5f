public import Foundation
import Synchronization
import WorkersRuntime

/// A KV namespace in memory: for tests and throwaway development. Commits are atomic within the process (one
/// lock), which is all a memory store can be shared by.
///
/// Keys are compared by their UTF-8 bytes, as in Workers KV: `"é"` and `"e\u{301}"` are two different keys even
/// though Swift considers the strings equal.
public final class MemoryKV: KVAtomicNamespace, KVExpirySweeping {
    private struct Stored {
        var name: String
        var value: Data
        var metadata: JSONValue?
        var expiration: Int?
    }

    private let storage = Mutex<[[UInt8]: Stored]>([:])
    private let now: @Sendable () -> Date

    /// Creates an empty namespace.
    /// - Parameter now: The clock used for expiry (inject one to test expiry without sleeping).
    public init(now: @escaping @Sendable () -> Date = Date.init) {
        self.now = now
    }

    public func getEntry(_ key: String) async throws -> KVEntry? {
        try KVLimits.validateKey(key, operation: "GET")
        let now = now()
        let id = Array(key.utf8)
        return storage.withLock { storage in
            guard let stored = storage[id] else { return nil }
            if KVLimits.isExpired(stored.expiration, now: now) {
                storage.removeValue(forKey: id)
                return nil
            }
            return KVEntry(value: stored.value, metadata: stored.metadata, expiration: stored.expiration)
        }
    }

    public func put(_ key: String, bytes value: Data, options: KVPutOptions) async throws {
        let (expiration, _) = try KVLimits.validatePut(key: key, valueBytes: value.count, options: options, now: now())
        let stored = Stored(name: key, value: value, metadata: options.metadata, expiration: expiration)
        storage.withLock { $0[Array(key.utf8)] = stored }
    }

    public func delete(_ key: String) async throws {
        try KVLimits.validateKey(key, operation: "DELETE")
        _ = storage.withLock { $0.removeValue(forKey: Array(key.utf8)) }
    }

    public func list(_ options: KVListOptions) async throws -> KVListResult {
        try KVLimits.validateList(options)
        let after = try options.cursor.map(KVLimits.key(fromCursor:)).map { Array($0.utf8) }
        let prefix = Array((options.prefix ?? "").utf8)
        let now = now()
        let matching = storage.withLock { storage in
            storage.filter { id, stored in
                id.starts(with: prefix)
                    && after.map { $0.lexicographicallyPrecedes(id) } ?? true
                    && !KVLimits.isExpired(stored.expiration, now: now)
            }
        }
        let sorted = matching.sorted { $0.key.lexicographicallyPrecedes($1.key) }
        let page = sorted.prefix(options.limit)
        let keys = page.map { KVListKey(name: $0.value.name, expiration: $0.value.expiration, metadata: $0.value.metadata) }
        let complete = sorted.count <= options.limit
        return KVListResult(page: keys, complete: complete)
    }

    public func commit(_ changes: [KVChange], ifUnchanged expected: [String: Data?]) async throws -> Bool {
        let now = now()
        let plan = try KVCommitPlan(changes, expected: expected, now: now)
        return storage.withLock { storage in
            for (key, value) in plan.expected {
                let stored = storage[Array(key.utf8)].flatMap { KVLimits.isExpired($0.expiration, now: now) ? nil : $0 }
                guard stored?.value == value else { return false }
            }
            for step in plan.steps {
                switch step {
                case .put(let key, let value, let metadata, _, let expiration):
                    storage[Array(key.utf8)] = Stored(name: key, value: value, metadata: metadata, expiration: expiration)
                case .delete(let key):
                    storage.removeValue(forKey: Array(key.utf8))
                case .deleteRange(let prefix, _, _):
                    let bytes = Array(prefix.utf8)
                    for id in storage.keys where id.starts(with: bytes) { storage.removeValue(forKey: id) }
                }
            }
            return true
        }
    }

    @discardableResult
    public func sweepExpired() async throws -> Int {
        let now = now()
        return storage.withLock { storage in
            let before = storage.count
            storage = storage.filter { !KVLimits.isExpired($0.value.expiration, now: now) }
            return before - storage.count
        }
    }
}
