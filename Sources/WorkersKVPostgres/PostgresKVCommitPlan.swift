import Foundation
import WorkersKV

/// A commit as PostgresKV sends it: the ``WorkersKV/KVCommitPlan`` every backend checks against the KV limits, in
/// rows of this namespace with keys as bytes, plus the locks the commit takes.
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
        let plan = try KVCommitPlan(changes, expected: expected, now: now)
        var locked = Set<Int64>()
        steps = plan.steps.map { step in
            switch step {
            case .put(let key, let value, _, let metadataJSON, let expiration):
                let id = Data(key.utf8)
                locked.insert(PostgresKVLocks.keyLock(namespace: namespace, key: id))
                return .put(PostgresKVRow(
                    namespace: namespace, key: id, value: value,
                    metadata: metadataJSON.map { String(decoding: $0, as: UTF8.self) }, expiration: expiration
                ))
            case .delete(let key):
                let id = Data(key.utf8)
                locked.insert(PostgresKVLocks.keyLock(namespace: namespace, key: id))
                return .delete(key: id)
            case .deleteRange(_, let lowerBound, let upperBound):
                return .deleteRange(lowerBound: Data(lowerBound), upperBound: Data(upperBound ?? Self.aboveEveryKey))
            }
        }
        var expectedBytes: [Data: Data?] = [:]
        for (key, value) in plan.expected {
            let id = Data(key.utf8)
            expectedBytes[id] = value
            locked.insert(PostgresKVLocks.keyLock(namespace: namespace, key: id))
        }
        self.expected = expectedBytes
        deletesRange = steps.contains { if case .deleteRange = $0 { true } else { false } }
        keyLocks = locked.sorted()
    }

    /// Above every UTF-8 key: 0xFF never occurs in UTF-8.
    static let aboveEveryKey: [UInt8] = [0xFF]

    /// The smallest byte string above every string starting with `prefix` (``aboveEveryKey`` when there is none).
    static func upperBound(ofPrefix prefix: [UInt8]) -> [UInt8] {
        KVKeyOrder.upperBound(ofPrefix: prefix) ?? aboveEveryKey
    }
}
