import JWTKit

/// The claims of an RFC 9068 JWT access token, read leniently (every field optional): ``TokenClaimRules`` decides
/// what is required, so a missing claim is a rejection with a reason, not a decoding error.
struct AccessTokenClaims: JWTPayload {
    var iss: String?
    var sub: String?
    var aud: Audience?
    var client_id: String?
    var scope: String?
    var exp: Double?
    var iat: Double?
    var jti: String?

    /// Checked by ``TokenClaimRules`` against the resource server's clock, not here.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// An `aud` claim: one string or an array of strings (RFC 7519 §4.1.3).
struct Audience: Codable, Sendable, Equatable {
    var values: [String]

    init(_ values: [String]) { self.values = values }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let single = try? container.decode(String.self) {
            values = [single]
        } else {
            values = try container.decode([String].self)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if values.count == 1 { try container.encode(values[0]) } else { try container.encode(values) }
    }
}
