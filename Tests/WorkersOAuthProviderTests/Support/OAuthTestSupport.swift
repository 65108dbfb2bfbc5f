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
final class RecordingKV: KVNamespace {
    let inner: any KVNamespace
    private let written = Mutex<[Data]>([])

    /// Records writes to `inner` (any backend: MemoryKV here; SQLiteKV/FileKV once they exist).
    init(wrapping inner: any KVNamespace) { self.inner = inner }

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
    func list(_ options: KVListOptions) async throws -> KVListResult { try await inner.list(options) }
}

extension JSONValue {
    var stringArray: [String]? { arrayValue?.compactMap(\.stringValue) }
}
