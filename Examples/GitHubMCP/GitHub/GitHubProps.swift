import WorkersRuntime

/// What a grant carries for the MCP tools (`ctx.props`): who signed in at GitHub, and GitHub's token for them.
///
/// The provider stores props encrypted (AES-GCM under a key wrapped by each token), so GitHub's token is never
/// in the KV store in plaintext; the MCP client never sees it.
struct GitHubProps: Codable, Sendable, Equatable {
    var login: String
    var name: String?
    var email: String?
    /// GitHub's access token, used by the server to call GitHub for this user.
    var accessToken: String

    /// The props as JSON for `completeAuthorization`.
    var json: JSONValue {
        get throws { try JSONValue(encoding: self) }
    }
}
