extension OAuthHelpers {
    /// Sweeps expired and orphaned grants, then orphaned tokens, `batchSize` keys per phase per call. Unlike the
    /// anchor it returns a ``PurgeResult/cursor``: call again with it until ``PurgeResult/done``, so a sweep
    /// finishes however many healthy grants the store holds.
    /// - Throws: ``OAuthProviderError`` for a batch size below 1 or a cursor this function did not return.
    public func purgeExpiredData(_ purge: PurgeOptions = PurgeOptions()) async throws -> PurgeResult {
        try await ExpiredDataPurge(store: store).run(purge, now: now)
    }
}
