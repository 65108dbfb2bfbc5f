import Foundation
import WorkersKV

/// A KV namespace that times every operation of the one it wraps into `workers_kv_operation_duration_seconds`
/// (``ServerMetrics/kvOperation(_:backend:duration:)``). ``WorkerServer`` wraps its environment's namespaces in it
/// when metrics are on; ``TimedAtomicKVNamespace`` keeps an atomic namespace atomic. A class, so that a binding keeps
/// one identity (the provider's verified-token cache tells stores apart by it).
final class TimedKVNamespace: KVNamespace {
    let base: any KVNamespace
    /// The `backend` label: `sqlite`, `file`, `memory`, `postgres`, or another backend's type name.
    let backend: String

    init(base: any KVNamespace, backend: String) {
        self.base = base
        self.backend = backend
    }

    /// `binding` timed if it is a KV namespace, keeping its atomic commits if it has them; any other binding as it is.
    static func wrapping(_ binding: any Sendable) -> any Sendable {
        if let atomic = binding as? any KVAtomicNamespace {
            return TimedAtomicKVNamespace(base: atomic, backend: backendName(atomic))
        }
        if let namespace = binding as? any KVNamespace {
            return TimedKVNamespace(base: namespace, backend: backendName(namespace))
        }
        return binding
    }

    /// `SQLiteKV` -> `sqlite`: the type's name without its `KV` suffix, lowercased.
    static func backendName(_ namespace: any KVNamespace) -> String {
        var name = String(describing: type(of: namespace))
        if name.hasSuffix("KV"), name.count > 2 { name.removeLast(2) }
        return name.lowercased()
    }

    func getEntry(_ key: String) async throws -> KVEntry? {
        try await Self.timed("get", backend) { try await base.getEntry(key) }
    }

    func put(_ key: String, bytes value: Data, options: KVPutOptions) async throws {
        try await Self.timed("put", backend) { try await base.put(key, bytes: value, options: options) }
    }

    func delete(_ key: String) async throws {
        try await Self.timed("delete", backend) { try await base.delete(key) }
    }

    func list(_ options: KVListOptions) async throws -> KVListResult {
        try await Self.timed("list", backend) { try await base.list(options) }
    }

    static func timed<T>(_ operation: String, _ backend: String, _ body: () async throws -> T) async throws -> T {
        let start = ContinuousClock.now
        defer { ServerMetrics.kvOperation(operation, backend: backend, duration: ContinuousClock.now - start) }
        return try await body()
    }
}

/// ``TimedKVNamespace`` over a namespace that commits atomically (every built-in backend), timing commits too.
final class TimedAtomicKVNamespace: KVAtomicNamespace {
    let base: any KVAtomicNamespace
    let backend: String

    init(base: any KVAtomicNamespace, backend: String) {
        self.base = base
        self.backend = backend
    }

    func getEntry(_ key: String) async throws -> KVEntry? {
        try await TimedKVNamespace.timed("get", backend) { try await base.getEntry(key) }
    }

    func put(_ key: String, bytes value: Data, options: KVPutOptions) async throws {
        try await TimedKVNamespace.timed("put", backend) { try await base.put(key, bytes: value, options: options) }
    }

    func delete(_ key: String) async throws {
        try await TimedKVNamespace.timed("delete", backend) { try await base.delete(key) }
    }

    func list(_ options: KVListOptions) async throws -> KVListResult {
        try await TimedKVNamespace.timed("list", backend) { try await base.list(options) }
    }

    func commit(_ changes: [KVChange], ifUnchanged expected: [String: Data?]) async throws -> Bool {
        try await TimedKVNamespace.timed("commit", backend) { try await base.commit(changes, ifUnchanged: expected) }
    }
}
