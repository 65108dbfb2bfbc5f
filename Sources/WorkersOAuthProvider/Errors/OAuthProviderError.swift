import Foundation
import HTTPTypes
import Logging
import WorkersKV
import WorkersRuntime

/// A misuse of the provider or its helpers: invalid options at construction, or invalid arguments to a helper
/// (an unknown client, a `userID` containing `:`). The message names what was wrong.
public struct OAuthProviderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong.
    public let message: String

    /// Creates an error.
    public init(_ message: String) {
        self.message = message
    }

    /// The wire spelling (or a readable summary).
    public var description: String { message }
}
