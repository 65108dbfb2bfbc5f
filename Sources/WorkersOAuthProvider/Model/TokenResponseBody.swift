/// The body of a successful token response (RFC 6749 §5.1, RFC 8693 §2.2.1, RFC 8707 §2.2).
struct TokenResponseBody: Encodable, Equatable {
    let access_token: String
    let issued_token_type: String?
    let token_type = "bearer"
    let expires_in: Int
    let refresh_token: String?
    let scope: String
    let resource: ResourceList?

    init(
        accessToken: String, issuedTokenType: String? = nil, expiresIn: Int, refreshToken: String?, scope: [String],
        resource: [String]?
    ) {
        access_token = accessToken
        issued_token_type = issuedTokenType
        expires_in = expiresIn
        refresh_token = refreshToken
        self.scope = scope.joined(separator: " ")
        self.resource = ResourceList(resource)
    }
}
