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

/// A stored value with its metadata.
public struct KVEntry: Sendable, Equatable {
    /// The raw value.
    public var value: Data
    /// Metadata stored with the value, if any.
    public var metadata: JSONValue?
    /// Absolute expiration in seconds since the epoch, if any.
    public var expiration: Int?

    public init(value: Data, metadata: JSONValue? = nil, expiration: Int? = nil) {
        self.value = value
        self.metadata = metadata
        self.expiration = expiration
    }

    /// The value as UTF-8 text.
    public var text: String { String(decoding: value, as: UTF8.self) }
}

/// Options of a `put`.
public struct KVPutOptions: Sendable, Equatable {
    /// Absolute expiration, seconds since the epoch; at least 60 s in the future.
    public var expiration: Int?
    /// Expiration in seconds from now; at least 60.
    public var expirationTtl: Int?
    /// JSON metadata, at most 1024 bytes serialised.
    public var metadata: JSONValue?

    public init(expiration: Int? = nil, expirationTtl: Int? = nil, metadata: JSONValue? = nil) {
        self.expiration = expiration
        self.expirationTtl = expirationTtl
        self.metadata = metadata
    }
}

/// Options of a `list`.
public struct KVListOptions: Sendable, Equatable {
    /// Only keys starting with this prefix.
    public var prefix: String?
    /// At most this many keys (1...1000, default 1000).
    public var limit: Int
    /// Resume after the page that returned this cursor.
    public var cursor: String?

    public init(prefix: String? = nil, limit: Int = KVLimits.maxListLimit, cursor: String? = nil) {
        self.prefix = prefix
        self.limit = limit
        self.cursor = cursor
    }
}

/// A key in a list result.
public struct KVListKey: Sendable, Equatable {
    public var name: String
    /// Absolute expiration, seconds since the epoch.
    public var expiration: Int?
    public var metadata: JSONValue?

    public init(name: String, expiration: Int? = nil, metadata: JSONValue? = nil) {
        self.name = name
        self.expiration = expiration
        self.metadata = metadata
    }
}

/// A page of keys.
public struct KVListResult: Sendable, Equatable {
    public var keys: [KVListKey]
    /// `true` when there are no more keys after this page.
    public var listComplete: Bool
    /// Pass to the next `list` to continue; `nil` when complete.
    public var cursor: String?

    public init(keys: [KVListKey], listComplete: Bool, cursor: String?) {
        self.keys = keys
        self.listComplete = listComplete
        self.cursor = cursor
    }
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
