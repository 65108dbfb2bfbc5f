import Foundation
import Metrics
import WorkersKV

/// A KV namespace that times every operation of the one it wraps into `workers_kv_operation_duration_seconds`
/// (``ServerMetrics/kvTimer(_:backend:)``, made once per namespace: wrap after the metrics backend is bootstrapped).
/// ``WorkerServer`` wraps its environment's namespaces in it when metrics are on; ``TimedAtomicKVNamespace`` keeps an
/// atomic namespace atomic. A class, so that a binding keeps one identity (the provider's verified-token cache tells
/// stores apart by it).
final class TimedKVNamespace: TimedKVOperations {
    let base: any KVNamespace
    let timers: Timers

    /// - Parameter backend: The `backend` label: `sqlite`, `file`, `memory`, `postgres`, or another backend's type
    ///   name.
    var namespace: any KVNamespace { base }

    init(base: any KVNamespace, backend: String) {
        self.base = base
        self.timers = Timers(backend: backend)
    }

    /// One timer per operation.
    struct Timers: Sendable {
        let get, put, delete, list, commit: Metrics.Timer

        init(backend: String) {
            get = ServerMetrics.kvTimer("get", backend: backend)
            put = ServerMetrics.kvTimer("put", backend: backend)
            delete = ServerMetrics.kvTimer("delete", backend: backend)
            list = ServerMetrics.kvTimer("list", backend: backend)
            commit = ServerMetrics.kvTimer("commit", backend: backend)
        }
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

    /// Runs `body`, recording its duration in `timer` whether it returns or throws.
    static func timed<T>(_ timer: Metrics.Timer, _ body: () async throws -> T) async throws -> T {
        let start = ContinuousClock.now
        defer { timer.record(duration: ContinuousClock.now - start) }
        return try await body()
    }
}

/// ``TimedKVNamespace`` over a namespace that commits atomically (every built-in backend), timing commits too.
final class TimedAtomicKVNamespace: TimedKVOperations, KVAtomicNamespace {
    let base: any KVAtomicNamespace
    let timers: TimedKVNamespace.Timers

    var namespace: any KVNamespace { base }

    init(base: any KVAtomicNamespace, backend: String) {
        self.base = base
        self.timers = TimedKVNamespace.Timers(backend: backend)
    }

    func commit(_ changes: [KVChange], ifUnchanged expected: [String: Data?]) async throws -> Bool {
        try await TimedKVNamespace.timed(timers.commit) { try await base.commit(changes, ifUnchanged: expected) }
    }
}

/// What both timed namespaces share: the four operations of every namespace, each timed and passed to the wrapped one.
protocol TimedKVOperations: KVNamespace {
    /// The wrapped namespace.
    var namespace: any KVNamespace { get }
    var timers: TimedKVNamespace.Timers { get }
}

extension TimedKVOperations {
    func getEntry(_ key: String) async throws -> KVEntry? {
        try await TimedKVNamespace.timed(timers.get) { try await namespace.getEntry(key) }
    }

    func put(_ key: String, bytes value: Data, options: KVPutOptions) async throws {
        try await TimedKVNamespace.timed(timers.put) { try await namespace.put(key, bytes: value, options: options) }
    }

    func delete(_ key: String) async throws {
        try await TimedKVNamespace.timed(timers.delete) { try await namespace.delete(key) }
    }

    func list(_ options: KVListOptions) async throws -> KVListResult {
        try await TimedKVNamespace.timed(timers.list) { try await namespace.list(options) }
    }
}
