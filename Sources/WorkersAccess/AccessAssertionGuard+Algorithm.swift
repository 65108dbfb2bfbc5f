import WorkersJWKS

extension AccessAssertionGuard {
    /// A JWS signature algorithm the guard may accept ([RFC 7518 §3.1](https://www.rfc-editor.org/rfc/rfc7518#section-3.1)).
    ///
    /// Only asymmetric algorithms exist here: `none` and the HMAC family (`HS256`, ...) cannot be expressed, so a
    /// configuration can never accept an unsigned assertion or one "signed" with the public key as an HMAC secret.
    /// (The key set cache works with WorkersJWKS's `JWSAlgorithm`, the same set.)
    public struct Algorithm: Sendable, Hashable, CustomStringConvertible {
        /// The `alg` header value.
        public let name: String

        private init(_ jws: JWSAlgorithm) {
            name = jws.name
        }

        /// RSASSA-PKCS1-v1_5 with SHA-256: what Cloudflare Access signs with.
        public static let rs256 = Algorithm(.rs256)
        /// ECDSA on P-256 with SHA-256.
        public static let es256 = Algorithm(.es256)

        /// Every algorithm this type can express.
        public static let all: [Algorithm] = [.rs256, .es256]

        /// The algorithm named `name`, or `nil` when it is not one of ``all``.
        public init?(name: String) {
            guard let algorithm = Self.all.first(where: { $0.name == name }) else { return nil }
            self = algorithm
        }

        /// The same algorithm for the key set cache.
        var jws: JWSAlgorithm { JWSAlgorithm(name: name)! }

        /// The `alg` name.
        public var description: String { name }
    }
}
