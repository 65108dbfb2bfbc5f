public import Foundation

/// A namespace that applies several changes as one atomic, conditional step, across every process and host that
/// shares its storage: what the OAuth provider needs for single-use codes, refresh-token rotation and revocation
/// when several server processes share one store.
///
/// It sits beside ``KVNamespace`` (the Workers KV API that application code uses): Workers KV itself has no such
/// operation, and nothing of the Workers API changes. Every backend of this package implements it.
///
/// ```swift
/// // Rotate a grant only if no other process changed it since it was read.
/// let committed = try await kv.commit(
///     [.put(key: grantKey, value: rotated, options: KVPutOptions(expiration: expiry)), .put(key: tokenKey, ...)],
///     ifUnchanged: [grantKey: bytesRead]
/// )
/// if !committed { /* re-read and try again */ }
/// ```
public protocol KVAtomicNamespace: KVNamespace {
    /// Applies `changes`, in order, as one atomic step if and only if every key in `expected` still holds exactly
    /// the bytes given (`nil`: the key is absent or expired). Otherwise changes nothing and returns `false`.
    ///
    /// Atomic means: no other `commit`, `put` or `delete` on the same storage, from this process or another, is
    /// interleaved with it, and a reader sees all of its changes or none (FileKV: see its documentation for what a
    /// crash in the middle leaves). Each change obeys the same limits as ``KVNamespace/put(_:bytes:options:)``.
    /// - Throws: ``KVError`` for a change past a limit (nothing is applied), storage errors.
    func commit(_ changes: [KVChange], ifUnchanged expected: [String: Data?]) async throws -> Bool
}

/// One change of a ``KVAtomicNamespace/commit(_:ifUnchanged:)``.
public enum KVChange: Sendable, Equatable {
    /// Stores `value` under `key`, like ``KVNamespace/put(_:bytes:options:)``.
    case put(key: String, value: Data, options: KVPutOptions)
    /// Deletes `key` (a missing key is fine).
    case delete(key: String)
    /// Deletes every key that starts with `prefix` (a non-empty prefix).
    case deletePrefix(String)
}
