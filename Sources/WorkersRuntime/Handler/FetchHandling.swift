/// Something that answers HTTP requests the Worker way: `fetch(request, env, ctx)`.
///
/// Conform a type to it, or wrap a closure in ``FetchHandler``.
public protocol FetchHandling: Sendable {
    /// Answers one request.
    /// - Parameters:
    ///   - request: The request, body already read.
    ///   - env: Vars, secrets and bindings.
    ///   - ctx: `waitUntil` and `props`.
    func fetch(_ request: Request, env: Env, ctx: ExecutionContext) async throws -> Response
}

/// A fetch handler made from a closure.
///
/// ```swift
/// let hello = FetchHandler { request, env, ctx in
///     Response.text("Hello from \(env.NAME ?? "Swift")")
/// }
/// ```
public struct FetchHandler: FetchHandling {
    private let handle: @Sendable (Request, Env, ExecutionContext) async throws -> Response

    /// Wraps `handle`.
    public init(_ handle: @escaping @Sendable (Request, Env, ExecutionContext) async throws -> Response) {
        self.handle = handle
    }

    public func fetch(_ request: Request, env: Env, ctx: ExecutionContext) async throws -> Response {
        try await handle(request, env, ctx)
    }
}
