import HTTPTypes

/// Thrown by a handler when the token that admitted the request lacks scopes one operation needs (RFC 6750 §3.1).
///
/// The guard in front of the handler (``GuardedHandler``, the OAuth provider) turns it into `403` with
/// `WWW-Authenticate: Bearer error="insufficient_scope", scope="<every scope the operation needs>"` and its resource
/// metadata URL, so an MCP client can re-authorize for the larger scope (step-up) and retry.
/// ``ExecutionContext/requireScopes(_:)`` throws it.
public struct InsufficientScopeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Every scope the operation needs (not only the missing ones).
    public var requiredScopes: [String]

    /// Creates the error.
    /// - Parameter requiredScopes: Every scope the operation needs.
    public init(requiredScopes: [String]) {
        self.requiredScopes = requiredScopes
    }

    public var description: String {
        "The access token lacks a scope this operation needs (\(requiredScopes.joined(separator: " ")))"
    }

    /// The answer of a guard: `403`, `challenge` with the error and these scopes, and an OAuth error body.
    /// - Parameter challenge: The challenge to send; its `error` and `scope` are set here.
    public func response(challenge: BearerChallenge) -> Response {
        var challenge = challenge
        challenge.error = "insufficient_scope"
        challenge.scope = requiredScopes
        return Response.oauthError(
            "insufficient_scope", description: description, status: .forbidden, headers: [.wwwAuthenticate: challenge.headerValue]
        )
    }
}
