import Foundation
public import WorkersRuntime

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
