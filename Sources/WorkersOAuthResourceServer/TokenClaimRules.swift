import Foundation
import WorkersRuntime

/// The checks every access token passes, whether its claims came from a verified JWT or an introspection answer:
/// pure, so they are tested without keys or sockets.
struct TokenClaimRules: Sendable {
    let issuer: String
    let resource: String
    let clockSkew: TimeInterval

    /// The claims to check, from either source.
    struct Claims: Sendable {
        var issuer: String?
        var subject: String?
        var audience: [String]?
        var clientID: String?
        var scope: String?
        var expiresAt: Double?
        var issuedAt: Double?
    }

    /// The token's description, or why it is refused.
    /// - Parameters:
    ///   - claims: What the token says.
    ///   - now: Seconds since the epoch.
    ///   - requireSubject: Whether `sub` must be present (RFC 9068 requires it in a JWT).
    ///   - requireIssuedAt: Whether `iat` must be present.
    func check(_ claims: Claims, now: Double, requireSubject: Bool, requireIssuedAt: Bool) -> Result<AccessTokenInfo, TokenRejection> {
        guard let iss = claims.issuer, iss == issuer else {
            return .failure(.invalid("issuer \(claims.issuer ?? "(none)") is not \(issuer)"))
        }
        guard let audience = claims.audience, audience.contains(resource) else {
            return .failure(.invalid("audience \(claims.audience ?? []) does not name \(resource)"))
        }
        guard let exp = claims.expiresAt, exp.isFinite, abs(exp) < 1e13 else { return .failure(.invalid("no usable exp")) }
        guard now < exp + clockSkew else { return .failure(.invalid("expired at \(Int(exp))")) }
        if let iat = claims.issuedAt {
            guard iat.isFinite, iat <= now + clockSkew else { return .failure(.invalid("issued in the future (\(iat))")) }
        } else if requireIssuedAt {
            return .failure(.invalid("no iat"))
        }
        let subject = claims.subject.flatMap { $0.isEmpty ? nil : $0 }
        if requireSubject, subject == nil { return .failure(.invalid("no sub")) }
        guard let clientID = claims.clientID, !clientID.isEmpty else { return .failure(.invalid("no client_id")) }
        let scopes = (claims.scope ?? "").split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        return .success(
            AccessTokenInfo(clientID: clientID, scopes: scopes, subject: subject, resource: resource, expiresAt: Int(exp))
        )
    }
}

/// Why a token was refused: logged (escaped, it quotes token content), never sent to the client.
struct TokenRejection: Error, Sendable, CustomStringConvertible {
    /// Whether the token is bad (401) or the authorization server could not be asked (503).
    let isUnavailable: Bool
    let reason: String

    static func invalid(_ reason: String) -> TokenRejection { TokenRejection(isUnavailable: false, reason: reason) }
    static func unavailable(_ reason: String) -> TokenRejection { TokenRejection(isUnavailable: true, reason: reason) }

    var description: String { reason }
}
