/// Options of ``OAuthHelpers/purgeExpiredData(_:)``.
public struct PurgeOptions: Sendable, Equatable {
    /// At most this many keys are examined per phase per call.
    public var batchSize: Int
    /// Where the previous call stopped (``PurgeResult/cursor``); `nil` to start over.
    public var cursor: String?
    /// Purge grants whose client no longer exists.
    public var purgeOrphanedGrants: Bool
    /// Purge grants past their `expiresAt`.
    public var purgeExpiredGrants: Bool
    /// Purge access tokens whose grant no longer exists.
    public var purgeOrphanedTokens: Bool

    /// Creates options.
    public init(
        batchSize: Int = 50,
        cursor: String? = nil,
        purgeOrphanedGrants: Bool = true,
        purgeExpiredGrants: Bool = true,
        purgeOrphanedTokens: Bool = true
    ) {
        self.batchSize = batchSize
        self.cursor = cursor
        self.purgeOrphanedGrants = purgeOrphanedGrants
        self.purgeExpiredGrants = purgeExpiredGrants
        self.purgeOrphanedTokens = purgeOrphanedTokens
    }
}
