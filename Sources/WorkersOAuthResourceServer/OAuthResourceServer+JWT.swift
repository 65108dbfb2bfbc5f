import Foundation
import JWTKit
import WorkersJWKS
import WorkersRuntime

extension OAuthResourceServer {
    /// The accepted `typ` header values (RFC 9068 §2.1), compared case-insensitively.
    static let accessTokenTypes: Set<String> = ["at+jwt", "application/at+jwt"]

    /// The description of a valid JWT access token: from the verified-JWT cache when this process verified it before
    /// (and its `kid` is still in a fresh key set), otherwise verified now and remembered until its `exp`.
    func verifiedJWT(_ token: String, fetcher: any Fetcher) async throws(TokenRejection) -> AccessTokenInfo {
        let key = TokenCache.key(token)
        let current = now().timeIntervalSince1970
        if let entry = verified.entry(key, now: current), let info = entry.token, let kid = entry.keyID,
            let jwks = endpoints.current?.jwks
        {
            let snapshot = jwks.snapshot
            if snapshot.keyIDs.contains(kid) {
                if let fetchedAt = snapshot.fetchedAt, current - fetchedAt.timeIntervalSince1970 < configuration.jwksCacheTTL {
                    return info
                }
                // The key set is due for a refresh: verify again through the key cache, which refetches.
            } else {
                verified.forget(key)
            }
        }
        let (info, kid) = try await verifyJWT(token, fetcher: fetcher)
        if let exp = info.expiresAt {
            verified.remember(key, TokenCache.Entry(token: info, props: nil, keyID: kid, validUntil: Double(exp)), now: current)
        }
        return info
    }

    /// Verifies `token` as an RFC 9068 JWT access token: header, key, signature, claims.
    /// - Returns: Its description and the `kid` that verified it.
    func verifyJWT(_ token: String, fetcher: any Fetcher) async throws(TokenRejection) -> (AccessTokenInfo, String) {
        let header: JWTHeader
        do {
            header = try DefaultJWTParser().parse(Array(token.utf8), as: AccessTokenClaims.self).header
        } catch {
            throw .invalid("malformed JWT: \(error)")
        }
        guard let alg = header.alg, let algorithm = configuration.algorithms.first(where: { $0.name == alg }) else {
            throw .invalid("algorithm \(header.alg ?? "(none)") not allowed")
        }
        guard let typ = header.typ, Self.accessTokenTypes.contains(typ.lowercased()) else {
            throw .invalid("typ \(header.typ ?? "(none)") is not at+jwt")
        }
        guard header.crit?.isEmpty ?? true else {
            throw .invalid("unsupported critical header parameters \(header.crit ?? [])")
        }
        guard let kid = header.kid, !kid.isEmpty else { throw .invalid("no kid in header") }
        let resolved = try await endpoints.resolve(fetcher: fetcher)
        let key: JWKSCache.Key
        switch await resolved.jwks.key(for: kid, fetcher: fetcher) {
        case .key(let found): key = found
        case .unknownKeyID: throw .invalid("unknown kid \(kid)")
        case .unavailable: throw .unavailable("no signing keys could be fetched from \(resolved.jwks.url)")
        }
        guard key.algorithm == algorithm else {
            throw .invalid("algorithm \(alg) does not match key \(kid) (\(key.algorithm))")
        }
        let claims: AccessTokenClaims
        do {
            claims = try await key.keys.verify(token, as: AccessTokenClaims.self)
        } catch {
            throw .invalid("signature: \(error)")
        }
        let checked = rules.check(
            TokenClaimRules.Claims(
                issuer: claims.iss, subject: claims.sub, audience: claims.aud?.values, clientID: claims.client_id,
                scope: claims.scope, expiresAt: claims.exp, issuedAt: claims.iat
            ),
            now: now().timeIntervalSince1970,
            requireSubject: true,
            requireIssuedAt: true
        )
        switch checked {
        case .success(let info): return (info, kid)
        case .failure(let rejection): throw rejection
        }
    }
}
