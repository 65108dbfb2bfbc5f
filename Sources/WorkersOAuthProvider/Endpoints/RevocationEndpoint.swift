import Foundation
import HTTPTypes
import Logging
import WorkersKV
import WorkersRuntime

extension OAuthHelpers {
    /// RFC 7009: revokes an access token alone, or a refresh token with its whole grant, only when `client` owns it.
    /// Never reveals anything: the caller always answers 200.
    func revoke(_ token: String, hint: String?, client: ClientInfo) async throws {
        guard let parts = TokenParts(token) else { return }
        let refreshFirst = hint == "refresh_token"
        for refresh in refreshFirst ? [true, false] : [false, true] {
            let done =
                refresh
                ? try await revokeRefreshToken(token, parts: parts, client: client)
                : try await revokeAccessToken(token, parts: parts, client: client)
            if done { return }
        }
    }

    private func revokeAccessToken(_ token: String, parts: TokenParts, client: ClientInfo) async throws -> Bool {
        let tokenID = TokenCrypto.hash(token)
        guard let record = try await store.token(userId: parts.userId, grantId: parts.grantId, tokenId: tokenID),
            record.grant.clientId == client.clientID
        else { return false }
        try await store.kv.delete(OAuthStore.tokenKey(userId: parts.userId, grantId: parts.grantId, tokenId: tokenID))
        return true
    }

    private func revokeRefreshToken(_ token: String, parts: TokenParts, client: ClientInfo) async throws -> Bool {
        guard let grant = try await store.grant(userId: parts.userId, grantId: parts.grantId) else { return false }
        let tokenID = TokenCrypto.hash(token)
        // Any refresh token the grant ever accepted (current, previous or spent) names it.
        let matches = ([grant.refreshTokenId, grant.previousRefreshTokenId] + (grant.spentRefreshTokenIds ?? [])).contains { stored in
            stored.map { SecureCompare.equals($0, tokenID) } ?? false
        }
        guard matches, grant.clientId == client.clientID else { return false }
        try await revokeGrant(grant.id, userID: grant.userId)
        return true
    }
}
