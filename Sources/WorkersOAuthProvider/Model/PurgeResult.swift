/// The outcome of one ``OAuthHelpers/purgeExpiredData(_:)`` call.
public struct PurgeResult: Sendable, Equatable {
    /// Grants examined.
    public var grantsChecked = 0
    /// Grants revoked.
    public var grantsPurged = 0
    /// Tokens examined.
    public var tokensChecked = 0
    /// Tokens deleted.
    public var tokensPurged = 0
    /// `true` when the whole store has been swept.
    public var done = false
    /// Pass to the next call to continue where this one stopped; `nil` when done.
    public var cursor: String?

    /// Creates an empty result (all counts zero, not done).
    public init() {}
}
