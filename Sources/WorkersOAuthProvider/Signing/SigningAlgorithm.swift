/// The JWS algorithm of the provider's JWT access tokens
/// ([RFC 7518 §3.1](https://www.rfc-editor.org/rfc/rfc7518#section-3.1)): the `alg` of their header and of the
/// signing key's JWK.
public struct SigningAlgorithm: OAuthVocabulary {
    /// The value as sent on the wire.
    public var rawValue: String
    /// Creates a value from its wire spelling (only ``es256`` and ``rs256`` are accepted by the provider).
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `ES256`: ECDSA on P-256 with SHA-256 (the default: small keys and signatures, fast to generate).
    public static let es256 = SigningAlgorithm(rawValue: "ES256")
    /// `RS256`: RSASSA-PKCS1-v1_5 with SHA-256 on a 2048-bit key, for resource servers that only know RSA.
    public static let rs256 = SigningAlgorithm(rawValue: "RS256")

    /// The algorithms the provider can sign with.
    static let supported: [SigningAlgorithm] = [.es256, .rs256]
}
