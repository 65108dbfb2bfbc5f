public import Foundation

/// The advisory locks a write takes: the namespace's (two-int form, shared by plain writes and conditional commits,
/// exclusive for a commit that deletes a prefix) and the key's (one-bigint form, exclusive).
///
/// Lock ids are FNV-1a hashes, the same in every process and on every host (Swift's `Hasher` is seeded per
/// process, so it cannot be used). Two keys sharing a hash only wait for each other more often than needed.
@_spi(Benchmarking) public struct PostgresKVLocks: Sendable {
    /// `pg_advisory_xact_lock(int4, int4)`: ``PostgresKVSchema/lockSpace`` and the namespace's hash.
    public var namespace: (Int32, Int32)
    /// `pg_advisory_xact_lock(int8)`: the hash of namespace and key.
    public var key: Int64

    /// The locks of `key` in `namespace`.
    public init(namespace: String, key: Data) {
        self.namespace = Self.namespaceLock(namespace)
        self.key = Self.keyLock(namespace: namespace, key: key)
    }

    /// The two-int lock of a namespace.
    public static func namespaceLock(_ namespace: String) -> (Int32, Int32) {
        let hash = fnv1a(namespace.utf8)
        return (PostgresKVSchema.lockSpace, Int32(truncatingIfNeeded: hash ^ (hash >> 32)))
    }

    /// The bigint lock of one key of a namespace.
    public static func keyLock(namespace: String, key: some Sequence<UInt8>) -> Int64 {
        // 0xFF never occurs in UTF-8, so it separates the namespace from the key unambiguously.
        var hash = fnv1a(namespace.utf8)
        hash = fnv1a(CollectionOfOne(0xFF), continuing: hash)
        return Int64(bitPattern: fnv1a(key, continuing: hash))
    }

    private static func fnv1a(_ bytes: some Sequence<UInt8>, continuing hash: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
        var hash = hash
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}
