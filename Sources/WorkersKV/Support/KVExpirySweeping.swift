/// A namespace that can reclaim the space of expired entries in bulk.
///
/// Expired entries are never returned whether or not they have been swept; sweeping only frees storage.
public protocol KVExpirySweeping: KVNamespace {
    /// Deletes every entry expired at the namespace's current time.
    /// - Returns: How many entries were removed.
    @discardableResult
    func sweepExpired() async throws -> Int
}
