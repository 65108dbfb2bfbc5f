package import Foundation
package import WorkersRuntime

/// A commit's changes checked against the KV limits, with expirations made absolute and keys as their UTF-8 bytes:
/// what every backend's ``KVAtomicNamespace/commit(_:ifUnchanged:)`` applies. Checking happens before any
/// storage is touched, so a commit past a limit changes nothing.
package struct KVCommitPlan: Sendable {
    /// One checked change.
    package enum Step: Sendable {
        case put(key: String, value: Data, metadata: JSONValue?, metadataJSON: Data?, expiration: Int?)
        case delete(key: String)
        /// Every key from `lowerBound` (inclusive) to `upperBound` (exclusive; `nil`: no end), by UTF-8 bytes.
        case deleteRange(prefix: String, lowerBound: [UInt8], upperBound: [UInt8]?)
    }

    /// The changes, in order.
    package let steps: [Step]
    /// The values the commit expects, by key (`nil`: absent or expired), sorted by key bytes (a fixed order for
    /// backends that lock them).
    package let expected: [(key: String, value: Data?)]

    /// Checks `changes` and `expected` at time `now`.
    /// - Throws: ``KVError`` for a key, value, metadata or expiration past a limit, or an empty prefix.
    package init(_ changes: [KVChange], expected: [String: Data?], now: Date) throws {
        steps = try changes.map { change in
            switch change {
            case .put(let key, let value, let options):
                let (expiration, metadataJSON) = try KVLimits.validatePut(
                    key: key, valueBytes: value.count, options: options, now: now
                )
                return .put(key: key, value: value, metadata: options.metadata, metadataJSON: metadataJSON, expiration: expiration)
            case .delete(let key):
                try KVLimits.validateKey(key, operation: "DELETE")
                return .delete(key: key)
            case .deletePrefix(let prefix):
                guard !prefix.isEmpty else {
                    throw KVError(operation: "DELETE", status: 400, message: "A prefix delete needs a non-empty prefix.")
                }
                let bytes = Array(prefix.utf8)
                return .deleteRange(prefix: prefix, lowerBound: bytes, upperBound: KVKeyOrder.upperBound(ofPrefix: bytes))
            }
        }
        for key in expected.keys { try KVLimits.validateKey(key, operation: "GET") }
        self.expected = expected.map { (key: $0.key, value: $0.value) }.sorted { KVKeyOrder.precedes($0.key, $1.key) }
    }
}
