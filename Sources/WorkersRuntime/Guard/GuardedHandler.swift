/// A handler behind a guard. An ``InsufficientScopeError`` the handler throws is answered by the guard
/// (``RequestGuard/insufficientScope(_:_:)``).
///
/// ```swift
/// let protected = GuardedHandler(guard: BearerTokenGuard(secretNames: ["MCP_SECRET_TOKEN"]), handler: api)
/// ```
public struct GuardedHandler: FetchHandling {
    /// The guard checked first.
    public let requestGuard: any RequestGuard
    /// The handler that runs when the guard allows the request.
    public let handler: any FetchHandling

    /// Puts `handler` behind `guard`.
    public init(guard requestGuard: some RequestGuard, handler: some FetchHandling) {
        self.requestGuard = requestGuard
        self.handler = handler
    }

    public func fetch(_ request: Request, env: Env, ctx: ExecutionContext) async throws -> Response {
        switch try await requestGuard.check(request, env: env) {
        case .allow(let props, let token):
            do {
                return try await handler.fetch(request, env: env, ctx: ctx.with(props: props, accessToken: token))
            } catch let error as InsufficientScopeError {
                return await requestGuard.insufficientScope(request, error)
            }
        case .deny(let response):
            return response
        }
    }
}

extension FetchHandling {
    /// This handler behind `guard`.
    public func guarded(by requestGuard: some RequestGuard) -> GuardedHandler {
        GuardedHandler(guard: requestGuard, handler: self)
    }
}
