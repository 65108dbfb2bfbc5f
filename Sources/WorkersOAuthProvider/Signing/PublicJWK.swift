/// A signing key's public half as a JWK ([RFC 7517](https://www.rfc-editor.org/rfc/rfc7517)): what the JWK Set
/// publishes and what verification is built from. It has fields for public parameters only (`crv`/`x`/`y` for EC,
/// `n`/`e` for RSA), so a private parameter cannot be published by mistake.
struct PublicJWK: Codable, Sendable, Equatable {
    /// `EC` or `RSA`.
    let kty: String
    let kid: String
    let alg: String
    /// Always `sig`.
    let use: String
    /// EC: the curve (`P-256`) and the point's coordinates, base64url.
    var crv: String? = nil
    var x: String? = nil
    var y: String? = nil
    /// RSA: the modulus and public exponent, base64url.
    var n: String? = nil
    var e: String? = nil

    /// An EC P-256 public key.
    static func ec(kid: String, alg: SigningAlgorithm, x: String, y: String) -> PublicJWK {
        PublicJWK(kty: "EC", kid: kid, alg: alg.rawValue, use: "sig", crv: "P-256", x: x, y: y)
    }

    /// An RSA public key.
    static func rsa(kid: String, alg: SigningAlgorithm, modulus: String, exponent: String) -> PublicJWK {
        PublicJWK(kty: "RSA", kid: kid, alg: alg.rawValue, use: "sig", n: modulus, e: exponent)
    }
}

/// The JWK Set document (RFC 7517 §5): `{"keys": [...]}`.
struct JWKSetDocument: Encodable {
    let keys: [PublicJWK]
}
