public import Foundation
public import WorkersRuntime

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
