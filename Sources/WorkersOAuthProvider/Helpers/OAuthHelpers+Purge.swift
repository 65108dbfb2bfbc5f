import Foundation
import HTTPTypes
import Logging
import WorkersKV
import WorkersRuntime

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

extension OAuthHelpers {
    /// Sweeps expired and orphaned grants, then orphaned tokens, `batchSize` keys per phase per call. Unlike the
    /// anchor it returns a ``PurgeResult/cursor``: call again with it until ``PurgeResult/done``, so a sweep
    /// finishes however many healthy grants the store holds.
    public func purgeExpiredData(_ purge: PurgeOptions = PurgeOptions()) async throws -> PurgeResult {
        guard purge.batchSize > 0 else { throw OAuthProviderError("batchSize must be a positive integer") }
        var result = PurgeResult()
        var phase = "g"
        var kvCursor: String?
        if let cursor = purge.cursor {
            guard cursor.hasPrefix("g:") || cursor.hasPrefix("t:") else { throw OAuthProviderError("Invalid purge cursor") }
            phase = String(cursor.prefix(1))
            kvCursor = cursor.count > 2 ? String(cursor.dropFirst(2)) : nil
        }
        let now = nowSeconds
        if phase == "g" {
            if purge.purgeExpiredGrants || purge.purgeOrphanedGrants {
                var clients: [String: Bool] = [:]
                let page = try await store.kv.list(
                    KVListOptions(prefix: "grant:", limit: min(purge.batchSize, 1000), cursor: kvCursor)
                )
                for key in page.keys {
                    result.grantsChecked += 1
                    guard let grant = try await store.read(key.name, as: StoredGrant.self) else { continue }
                    var purgeIt = purge.purgeExpiredGrants && grant.expiresAt.map { now >= $0 } == true
                    if !purgeIt, purge.purgeOrphanedGrants {
                        if clients[grant.clientId] == nil {
                            clients[grant.clientId] = try await store.client(grant.clientId) != nil
                        }
                        purgeIt = clients[grant.clientId] == false
                    }
                    if purgeIt {
                        try await revokeGrant(grant.id, userID: grant.userId)
                        result.grantsPurged += 1
                    }
                }
                if !page.listComplete, let next = page.cursor {
                    result.cursor = "g:" + next
                    return result
                }
            }
            phase = "t"
            kvCursor = nil
        }
        if purge.purgeOrphanedTokens {
            var grants: [String: Bool] = [:]
            let page = try await store.kv.list(KVListOptions(prefix: "token:", limit: min(purge.batchSize, 1000), cursor: kvCursor))
            for key in page.keys {
                result.tokensChecked += 1
                let parts = key.name.split(separator: ":", omittingEmptySubsequences: false)
                guard parts.count == 4 else { continue }
                let grantKey = OAuthStore.grantKey(userId: String(parts[1]), grantId: String(parts[2]))
                if grants[grantKey] == nil { grants[grantKey] = try await store.kv.getEntry(grantKey) != nil }
                if grants[grantKey] == false {
                    try await store.kv.delete(key.name)
                    result.tokensPurged += 1
                }
            }
            if !page.listComplete, let next = page.cursor {
                result.cursor = "t:" + next
                return result
            }
        }
        result.done = true
        return result
    }
}
