import Foundation
import WorkersRuntime

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
