import Foundation
public import WorkersRuntime

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
