/// Decides, before a handler runs, whether a request may reach it.
///
/// A guard that lets a request in hands over the caller's identity as props; the guarded handler reads it from
/// `ctx.props`, the same slot the OAuth provider fills, so a handler does not care which guard admitted the request.
public protocol RequestGuard: Sendable {
    /// Checks `request`.
    /// - Returns: `.allow(props:)` with the identity, or `.deny(response)` with the response to send instead.
    func check(_ request: Request, env: Env) async throws -> GuardDecision
}
