/// An OAuth error with detail for logs and ``OAuthProvider/Options/onError`` that never goes on the wire.
struct DetailedOAuthError: Error {
    let error: OAuthError
    let detail: String
}
