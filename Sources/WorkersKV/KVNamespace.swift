public import Foundation
public import WorkersRuntime

/// A key-value namespace with Workers KV semantics.
///
/// Backends implement the four primitive operations; the typed conveniences (`get(_:)` as text, bytes or JSON,
/// `put` of text or `Encodable`) are extensions on top.
///
/// ```swift
/// let kv = env.kv("OAUTH_KV")!
/// try await kv.put("greeting", "hello", expirationTtl: 3600)
/// let greeting = try await kv.get("greeting")            // "hello"
/// let page = try await kv.list(prefix: "grant:", limit: 100)
/// ```
public protocol KVNamespace: Sendable {
    /// The value, metadata and expiration of `key`, or `nil` when it is missing or expired.
    func getEntry(_ key: String) async throws -> KVEntry?

    /// Stores `value` under `key`, replacing any previous value.
    /// - Throws: ``KVError`` when a limit is exceeded.
    func put(_ key: String, bytes value: Data, options: KVPutOptions) async throws

    /// Deletes `key`; deleting a missing key succeeds.
    func delete(_ key: String) async throws

    /// Lists keys in UTF-8 byte order.
    func list(_ options: KVListOptions) async throws -> KVListResult
}

extension KVListResult {
    /// A backend's page: when `complete` is false, the cursor continues after the page's last key.
    init(page keys: [KVListKey], complete: Bool) {
        self.init(keys: keys, listComplete: complete, cursor: complete ? nil : keys.last.map { KVLimits.cursor(after: $0.name) })
    }
}

extension KVNamespace {
    /// The value of `key` as UTF-8 text.
    public func get(_ key: String) async throws -> String? {
        try await getEntry(key)?.text
    }

    /// The value of `key` as bytes.
    public func get(_ key: String, as type: Data.Type) async throws -> Data? {
        try await getEntry(key)?.value
    }

    /// The value of `key` decoded from JSON.
    public func get<T: Decodable>(_ key: String, as type: T.Type) async throws -> T? {
        guard let entry = try await getEntry(key) else { return nil }
        return try JSONDecoder().decode(T.self, from: entry.value)
    }

    /// The value of `key` as text with its metadata (`getWithMetadata`).
    public func getWithMetadata(_ key: String) async throws -> (value: String, metadata: JSONValue?)? {
        guard let entry = try await getEntry(key) else { return nil }
        return (entry.text, entry.metadata)
    }

    /// Stores text.
    public func put(
        _ key: String,
        _ value: String,
        expiration: Int? = nil,
        expirationTtl: Int? = nil,
        metadata: JSONValue? = nil
    ) async throws {
        try await put(
            key,
            bytes: Data(value.utf8),
            options: KVPutOptions(expiration: expiration, expirationTtl: expirationTtl, metadata: metadata)
        )
    }

    /// Stores bytes.
    public func put(
        _ key: String,
        _ value: Data,
        expiration: Int? = nil,
        expirationTtl: Int? = nil,
        metadata: JSONValue? = nil
    ) async throws {
        try await put(
            key,
            bytes: value,
            options: KVPutOptions(expiration: expiration, expirationTtl: expirationTtl, metadata: metadata)
        )
    }

    /// Stores a value encoded as JSON.
    public func put<T: Encodable>(
        _ key: String,
        json value: T,
        expiration: Int? = nil,
        expirationTtl: Int? = nil,
        metadata: JSONValue? = nil
    ) async throws {
        try await put(
            key,
            bytes: try JSONEncoder().encode(value),
            options: KVPutOptions(expiration: expiration, expirationTtl: expirationTtl, metadata: metadata)
        )
    }

    /// Lists keys.
    public func list(prefix: String? = nil, limit: Int = KVLimits.maxListLimit, cursor: String? = nil) async throws
        -> KVListResult
    {
        try await list(KVListOptions(prefix: prefix, limit: limit, cursor: cursor))
    }
}

extension Env {
    /// The KV namespace bound as `name` (`[[kv_namespaces]] binding = "name"`).
    public func kv(_ name: String) -> (any KVNamespace)? {
        binding(name, as: (any KVNamespace).self)
    }
}
