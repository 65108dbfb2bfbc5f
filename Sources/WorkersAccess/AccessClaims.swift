import JWTKit

/// The claims of an identity-proxy assertion that the guard checks or hands on.
///
/// Time, issuer and audience checks need the configuration and the injected clock, so ``verify(using:)`` checks
/// nothing: ``AccessAssertionGuard`` checks the claims itself after jwt-kit has verified the signature.
struct AccessClaims: JWTPayload, Equatable {
    var issuer: IssuerClaim?
    var audience: AudienceClaim?
    var expiration: ExpirationClaim?
    var notBefore: NotBeforeClaim?
    var issuedAt: IssuedAtClaim?
    var subject: SubjectClaim?
    var email: String?
    var commonName: String?
    var type: String?
    var identityNonce: String?

    enum CodingKeys: String, CodingKey {
        case issuer = "iss"
        case audience = "aud"
        case expiration = "exp"
        case notBefore = "nbf"
        case issuedAt = "iat"
        case subject = "sub"
        case email
        case commonName = "common_name"
        case type
        case identityNonce = "identity_nonce"
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
