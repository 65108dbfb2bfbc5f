import WorkersRuntime

/// The code or refresh token a token request presents, and the grant its `{userID}:{grantID}:` prefix names.
struct PresentedSecret: Sendable {
    let value: String
    let parts: TokenParts

    /// Reads form parameter `parameter`.
    /// - Throws: `invalid_request` with `missing` when it is absent or empty, `invalid_grant` with `malformed` when
    ///   it is not `{userID}:{grantID}:{secret}`.
    init(_ form: URLEncodedForm, parameter: String, missing: String, malformed: String) throws(OAuthError) {
        guard let value = form[parameter], !value.isEmpty else {
            throw OAuthError(.invalidRequest, description: missing)
        }
        guard let parts = TokenParts(value) else { throw OAuthError(.invalidGrant, description: malformed) }
        self.value = value
        self.parts = parts
    }
}
