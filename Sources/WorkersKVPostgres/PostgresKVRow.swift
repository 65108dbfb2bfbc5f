public import Foundation
import PostgresNIO

/// One entry as stored: the columns of a `workers_kv` row.
@_spi(Benchmarking) public struct PostgresKVRow: Sendable {
    /// The namespace.
    public var namespace: String
    /// The key's UTF-8 bytes.
    public var key: Data
    /// The value.
    public var value: Data
    /// Metadata JSON, `nil` when the put had none.
    public var metadata: String?
    /// Epoch seconds, `nil` when it never expires.
    public var expiration: Int?

    /// A row.
    public init(namespace: String, key: Data, value: Data, metadata: String?, expiration: Int?) {
        self.namespace = namespace
        self.key = key
        self.value = value
        self.metadata = metadata
        self.expiration = expiration
    }

    func bind(into bindings: inout PostgresBindings) throws {
        bindings.append(namespace)
        try bindings.append(key)
        try bindings.append(value)
        bindings.append(metadata)
        bindings.append(expiration)
    }
}
