import WorkersRuntime

/// PKCE value rules ([RFC 7636 §4.1](https://www.rfc-editor.org/rfc/rfc7636#section-4.1)).
enum PKCE {
    /// Whether `value` is a well-formed code verifier (or challenge): 43 to 128 characters of
    /// `[A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~"`. An S256 challenge (base64url of a SHA-256, 43 characters)
    /// always is.
    static func isWellFormed(_ value: String) -> Bool {
        let utf8 = value.utf8
        guard (43...128).contains(utf8.count) else { return false }
        return utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                true
            default:
                false
            }
        }
    }
}

extension PKCE {
    /// Checks a token request's `code_verifier` against the grant's challenge (RFC 7636 §4.6).
    /// - Throws: `invalid_request` for a missing verifier or one sent without a challenge; `invalid_grant` for a
    ///   malformed or wrong one.
    static func verify(_ verifier: String?, challenge: String?, method: CodeChallengeMethod) throws(OAuthError) {
        guard let challenge else {
            if verifier != nil {
                throw OAuthError(.invalidRequest, description: "code_verifier was provided, but the authorization request did not use PKCE")
            }
            return
        }
        guard let verifier, !verifier.isEmpty else {
            throw OAuthError(.invalidRequest, description: "code_verifier is required for PKCE")
        }
        guard isWellFormed(verifier) else {
            throw OAuthError(.invalidGrant, description: "code_verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636)")
        }
        let computed = method == .s256 ? TokenCrypto.s256Challenge(verifier) : verifier
        guard SecureCompare.equals(computed, challenge) else {
            throw OAuthError(.invalidGrant, description: "Invalid PKCE code_verifier")
        }
    }
}
