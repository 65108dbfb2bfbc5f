/// A JWS signature algorithm a verifier may accept ([RFC 7518 §3.1](https://www.rfc-editor.org/rfc/rfc7518#section-3.1)).
///
/// Only asymmetric algorithms exist here: `none` and the HMAC family (`HS256`, ...) cannot be expressed, so a
/// configuration can never accept an unsigned token or one "signed" with the public key as an HMAC secret.
///
/// ```swift
/// let algorithms: [JWSAlgorithm] = [.es256, .rs256]
/// ```
public struct JWSAlgorithm: Sendable, Hashable, CustomStringConvertible {
    /// The `alg` header value.
    public let name: String
    /// The JWK `kty` a key must have to verify this algorithm.
    package let keyType: String
    /// The JWK `crv` a key must have, for elliptic-curve algorithms.
    package let curve: String?

    private init(name: String, keyType: String, curve: String? = nil) {
        self.name = name
        self.keyType = keyType
        self.curve = curve
    }

    /// RSASSA-PKCS1-v1_5 with SHA-256 (what Cloudflare Access signs with).
    public static let rs256 = JWSAlgorithm(name: "RS256", keyType: "RSA")
    /// ECDSA on P-256 with SHA-256.
    public static let es256 = JWSAlgorithm(name: "ES256", keyType: "EC", curve: "P-256")

    /// Every algorithm this type can express.
    public static let all: [JWSAlgorithm] = [.rs256, .es256]

    /// The algorithm named `name`, or `nil` when it is not one of ``all``.
    public init?(name: String) {
        guard let algorithm = Self.all.first(where: { $0.name == name }) else { return nil }
        self = algorithm
    }

    /// The `alg` name.
    public var description: String { name }
}
