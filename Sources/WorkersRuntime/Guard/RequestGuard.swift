/// Decides, before a handler runs, whether a request may reach it.
///
/// A guard that lets a request in hands over the caller's identity as props; the guarded handler reads it from
/// `ctx.props`, the same slot the OAuth provider fills, so a handler does not care which guard admitted the request.
public protocol RequestGuard: Sendable {
    /// Checks `request`.
    /// - Returns: `.allow(props:token:)` with the identity, or `.deny(response)` with the response to send instead.
    func check(_ request: Request, env: Env) async throws -> GuardDecision

    /// The answer when the handler behind this guard threw ``InsufficientScopeError``: by default `403` with a
    /// `Bearer` challenge naming the scopes; an OAuth guard adds its resource metadata URL.
    func insufficientScope(_ request: Request, _ error: InsufficientScopeError) async -> Response
}

extension RequestGuard {
    public func insufficientScope(_ request: Request, _ error: InsufficientScopeError) async -> Response {
        error.response(challenge: BearerChallenge(realm: "OAuth"))
    }
}
