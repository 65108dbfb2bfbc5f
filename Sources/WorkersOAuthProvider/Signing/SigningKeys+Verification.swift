import Foundation
import JWTKit
import Synchronization
import WorkersRuntime

extension SigningKeys {
    /// The longest JWT looked at; anything longer is not one of ours.
    static let maximumTokenLength = 8192

    /// The claims of `jwt` if it is a well-formed compact JWS signed by one of the published keys with that key's
    /// algorithm, with `typ` `at+jwt` and an `exp` still ahead; `nil` otherwise. The caller checks `iss`, `aud` and
    /// the rest.
    ///
    /// The header is checked before any signature is: its `kid` must name a published key and its `alg` be exactly
    /// that key's, so `alg: none`, an HMAC "signed" with a public key, and a key substituted by `kid` are refused
    /// without reaching jwt-kit. A `kid` this process does not know makes it re-read the key set, at most once a
    /// second (another process may have rotated).
    /// - Throws: KV errors, and ``OAuthProviderError`` when the store has no key yet and the secret to generate one is
    ///   missing; every malformed or unverifiable token is `nil`.
    func verify(_ jwt: String, store: OAuthStore, env: Env) async throws -> AccessTokenClaims? {
        guard let header = Self.Header(jwt) else { return nil }
        var verifier = try await snapshot(store: store, env: env).verifiers[header.kid]
        if verifier == nil, reloadForUnknownKey() {
            verifier = try await snapshot(store: store, env: env, reload: true).verifiers[header.kid]
        }
        guard let verifier, verifier.key.isPublished(at: now()), header.alg == verifier.key.alg.rawValue,
            let claims = try? await verifier.keys.verify(jwt, as: AccessTokenClaims.self),
            claims.exp > now()
        else { return nil }
        return claims
    }

    /// Whether a token with an unknown `kid` may re-read the key set now (once a second at most).
    private func reloadForUnknownKey() -> Bool {
        let now = self.now()
        return lastUnknownKeyReload.withLock { last in
            guard now > last else { return false }
            last = now
            return true
        }
    }

    /// The protected header of a compact JWS, as far as verification needs it: `kid`, `alg` and an RFC 9068 `typ`.
    struct Header: Equatable {
        let kid: String
        let alg: String

        /// The header of `jwt`, or `nil` when `jwt` is not three base64url segments, its header is not a JSON
        /// object, lacks a string `kid` or `alg`, has a `typ` other than `at+jwt` (or `application/at+jwt`, RFC 7515
        /// §4.1.9, case-insensitively), or has `crit` (no extension is understood here).
        init?(_ jwt: String) {
            guard jwt.utf8.count <= SigningKeys.maximumTokenLength else { return nil }
            let segments = jwt.split(separator: ".", omittingEmptySubsequences: false)
            guard segments.count == 3, segments.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(Self.isBase64URL) }),
                let bytes = Data(base64URLEncoded: segments[0]),
                let header = try? JSONValue(parsing: bytes), case .object(let fields) = header,
                case .string(let kid)? = fields["kid"], case .string(let alg)? = fields["alg"],
                case .string(let typ)? = fields["typ"],
                ["at+jwt", "application/at+jwt"].contains(typ.lowercased()), fields["crit"] == nil
            else { return nil }
            self.kid = kid
            self.alg = alg
        }

        private static func isBase64URL(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"):
                true
            default: false
            }
        }
    }
}
