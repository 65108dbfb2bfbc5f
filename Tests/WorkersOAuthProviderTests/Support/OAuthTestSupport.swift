import Foundation
import HTTPTypes
import Synchronization
import Testing
import WorkersKV
import WorkersOAuthProvider
import WorkersRuntime
import WorkersTesting

/// A MemoryKV-backed environment.
func makeEnv(kv: any KVNamespace) -> Env {
    Env(bindings: ["OAUTH_KV": kv])
}

/// A KV that records every byte written through it (for at-rest checks).
final class RecordingKV: KVAtomicNamespace {
    let inner: any KVNamespace
    private let written = Mutex<[Data]>([])

    let atomic: any KVAtomicNamespace

    /// Records writes to `inner` (MemoryKV, SQLiteKV, FileKV).
    init(wrapping inner: any KVAtomicNamespace) {
        self.inner = inner
        self.atomic = inner
    }

    var allWrittenBytes: [Data] { written.withLock { $0 } }

    func getEntry(_ key: String) async throws -> KVEntry? { try await inner.getEntry(key) }
    func put(_ key: String, bytes value: Data, options: KVPutOptions) async throws {
        var record = Data(key.utf8)
        record.append(value)
        if let metadata = options.metadata { record.append(try metadata.jsonData()) }
        written.withLock { $0.append(record) }
        try await inner.put(key, bytes: value, options: options)
    }
    func delete(_ key: String) async throws { try await inner.delete(key) }
    func commit(_ changes: [KVChange], ifUnchanged expected: [String: Data?]) async throws -> Bool {
        for case .put(let key, let value, let options) in changes {
            var record = Data(key.utf8)
            record.append(value)
            if let metadata = options.metadata { record.append(try metadata.jsonData()) }
            written.withLock { $0.append(record) }
        }
        return try await atomic.commit(changes, ifUnchanged: expected)
    }
    func list(_ options: KVListOptions) async throws -> KVListResult { try await inner.list(options) }
}

extension JSONValue {
    var stringArray: [String]? { arrayValue?.compactMap(\.stringValue) }
}
