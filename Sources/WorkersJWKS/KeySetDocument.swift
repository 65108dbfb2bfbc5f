import JWTKit

/// A JWK Set read leniently: one malformed or unsupported key does not hide the others.
struct KeySetDocument: Decodable {
    struct Entry: Decodable {
        var jwk: JWK?
        var kid: String?
        var kty: String?
        var crv: String?
        var alg: String?
        var use: String?

        enum CodingKeys: String, CodingKey {
            case kid, kty, crv, alg, use
        }

        init(from decoder: any Decoder) throws {
            let container = try? decoder.container(keyedBy: CodingKeys.self)
            kid = try? container?.decodeIfPresent(String.self, forKey: .kid)
            kty = try? container?.decodeIfPresent(String.self, forKey: .kty)
            crv = try? container?.decodeIfPresent(String.self, forKey: .crv)
            alg = try? container?.decodeIfPresent(String.self, forKey: .alg)
            use = try? container?.decodeIfPresent(String.self, forKey: .use)
            jwk = try? JWK(from: decoder)
        }

        /// The one allowed algorithm this key verifies: its `alg` (or the natural one for its type and curve),
        /// provided the key type and curve match and the key is not for encryption.
        func usableAlgorithm(among algorithms: [JWSAlgorithm]) -> JWSAlgorithm? {
            guard use == nil || use == "sig" else { return nil }
            let name: String
            if let alg {
                name = alg
            } else {
                switch (kty, crv) {
                case ("RSA", _): name = JWSAlgorithm.rs256.name
                case ("EC", "P-256"): name = JWSAlgorithm.es256.name
                default: return nil
                }
            }
            guard let algorithm = algorithms.first(where: { $0.name == name }),
                algorithm.keyType == kty,
                algorithm.curve == nil || algorithm.curve == crv
            else { return nil }
            return algorithm
        }
    }

    var keys: [Entry]
}
