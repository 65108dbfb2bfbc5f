import WorkersKV

/// One call's worth of ``OAuthHelpers/purgeExpiredData(_:)``: expired and orphaned grants, then orphaned tokens,
/// `batchSize` keys per phase, with a cursor (`g:` or `t:` and the KV cursor) to continue where it stopped.
struct ExpiredDataPurge: Sendable {
    let store: OAuthStore

    func run(_ purge: PurgeOptions, now: Int) async throws -> PurgeResult {
        guard purge.batchSize > 0 else { throw OAuthProviderError("batchSize must be a positive integer") }
        var result = PurgeResult()
        var phase = "g"
        var kvCursor: String?
        if let cursor = purge.cursor {
            guard cursor.hasPrefix("g:") || cursor.hasPrefix("t:") else { throw OAuthProviderError("Invalid purge cursor") }
            phase = String(cursor.prefix(1))
            kvCursor = cursor.count > 2 ? String(cursor.dropFirst(2)) : nil
        }
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
                        // A metadata-document client has no record to lose: its grants are never orphans.
                        if clients[grant.clientID] == nil {
                            clients[grant.clientID] =
                                if CIMDClientID.isMetadataURL(grant.clientID) { true } else {
                                    try await store.registeredClient(grant.clientID) != nil
                                }
                        }
                        purgeIt = clients[grant.clientID] == false
                    }
                    if purgeIt {
                        try await store.revokeGrant(userID: grant.userID, grantID: grant.id)
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
                let grantKey = OAuthStore.grantKey(userID: String(parts[1]), grantID: String(parts[2]))
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
