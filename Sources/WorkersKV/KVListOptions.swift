import Foundation
import WorkersRuntime

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
