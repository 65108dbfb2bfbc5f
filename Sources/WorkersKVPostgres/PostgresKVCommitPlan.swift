import Foundation
import WorkersKV

/// A commit's changes checked against the KV limits before anything is sent to the server, with expirations made
/// absolute, metadata serialised and keys as UTF-8 bytes; plus the locks the commit takes.
struct PostgresKVCommitPlan: Sendable {
    enum Step: Sendable {
        case put(PostgresKVRow)
        case delete(key: Data)
        /// Every key in `lowerBound..<upperBound`, by bytes.
        case deleteRange(lowerBound: Data, upperBound: Data)
    }

    let steps: [Step]
    /// The values expected, by key bytes (`nil`: absent or expired).
    let expected: [Data: Data?]
    /// Whether the commit deletes a prefix, and so takes the namespace's lock exclusively.
    let deletesRange: Bool
    /// The key locks to take, deduplicated and in ascending order (the fixed order that rules out deadlocks).
    let keyLocks: [Int64]

    /// Checks `changes` and `expected` at time `now`.
    /// - Throws: `KVError` for a key, value, metadata or expiration past a limit, or an empty prefix.
    init(_ changes: [KVChange], expected: [String: Data?], namespace: String, now: Date) throws {
        var locked = Set<Int64>()
        steps = try changes.map { change in
            switch change {
            case .put(let key, let value, let options):
                let (expiration, metadata) = try KVLimits.validatePut(
                    key: key, valueBytes: value.count, options: options, now: now
                )
                let id = Data(key.utf8)
                locked.insert(PostgresKVLocks.keyLock(namespace: namespace, key: id))
                return .put(PostgresKVRow(
                    namespace: namespace, key: id, value: value,
                    metadata: metadata.map { String(decoding: $0, as: UTF8.self) }, expiration: expiration
                ))
            case .delete(let key):
                try KVLimits.validateKey(key, operation: "DELETE")
                let id = Data(key.utf8)
                locked.insert(PostgresKVLocks.keyLock(namespace: namespace, key: id))
                return .delete(key: id)
            case .deletePrefix(let prefix):
                guard !prefix.isEmpty else {
                    throw KVError(operation: "DELETE", status: 400, message: "A prefix delete needs a non-empty prefix.")
                }
                let bytes = Array(prefix.utf8)
                return .deleteRange(lowerBound: Data(bytes), upperBound: Data(Self.upperBound(ofPrefix: bytes)))
            }
        }
        var expectedBytes: [Data: Data?] = [:]
        for (key, value) in expected {
            try KVLimits.validateKey(key, operation: "GET")
            let id = Data(key.utf8)
            expectedBytes[id] = value
            locked.insert(PostgresKVLocks.keyLock(namespace: namespace, key: id))
        }
        self.expected = expectedBytes
        deletesRange = steps.contains { if case .deleteRange = $0 { true } else { false } }
        keyLocks = locked.sorted()
    }

    /// The smallest byte string above every string starting with `prefix`; `[0xFF]` when there is none, which is
    /// above every UTF-8 string since 0xFF never occurs in UTF-8.
    static func upperBound(ofPrefix prefix: [UInt8]) -> [UInt8] {
        var bound = prefix
        while let last = bound.last {
            if last < 0xFF {
                bound[bound.count - 1] = last + 1
                return bound
            }
            bound.removeLast()
        }
        return [0xFF]
    }
}
