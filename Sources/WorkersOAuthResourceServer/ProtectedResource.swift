import HTTPTypes
public import WorkersRuntime

/// A handler behind an ``OAuthResourceServer``, with the resource's RFC 9728 metadata document served beside it:
/// what ``OAuthResourceServer/protect(_:at:)`` returns.
///
/// - `GET /.well-known/oauth-protected-resource<resource path>` answers the metadata document (no token needed).
/// - A request to a protected path (one of ``paths`` or below it; every path when ``paths`` is `nil`) reaches the
///   handler only with a valid token; an ``InsufficientScopeError`` it throws becomes `403 insufficient_scope`.
/// - Any other path answers `404`.
/// - Both carry CORS headers like the OAuth provider's endpoints, and a preflight is answered `204` without a token.
public struct ProtectedResource: FetchHandling {
    /// The guard in front.
    public let resourceServer: OAuthResourceServer
    /// The handler behind it.
    public let handler: any FetchHandling
    /// The protected paths (exact, or a prefix followed by `/`); `nil` protects every path.
    public let paths: [String]?
    private let guarded: GuardedHandler

    /// Puts `handler` behind `resourceServer` at `paths`.
    public init(resourceServer: OAuthResourceServer, handler: some FetchHandling, paths: [String]?) {
        self.resourceServer = resourceServer
        self.handler = handler
        self.paths = paths
        guarded = GuardedHandler(guard: resourceServer, handler: handler)
    }

    public func fetch(_ request: Request, env: Env, ctx: ExecutionContext) async throws -> Response {
        let path = request.path
        if resourceServer.isResourceMetadataPath(path) { return resourceServer.resourceMetadataResponse(for: request) }
        guard isProtected(path) else {
            return .oauthError("not_found", description: "No such resource", status: .notFound)
        }
        return try await CORS.around(request) { try await guarded.fetch(request, env: env, ctx: ctx) }
    }

    /// Whether `path` is one of ``paths`` or below one.
    public func isProtected(_ path: String) -> Bool {
        guard let paths else { return true }
        return paths.contains { path == $0 || path.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }
    }
}

extension OAuthResourceServer {
    /// `handler` behind this guard at `paths`, with this resource's metadata document served and CORS on both.
    /// - Parameters:
    ///   - handler: The resource's handler (an `MCPHandler`, an API).
    ///   - paths: The protected paths (`["/mcp"]`); `nil` protects every path but the metadata document.
    public func protect(_ handler: some FetchHandling, at paths: [String]? = nil) -> ProtectedResource {
        ProtectedResource(resourceServer: self, handler: handler, paths: paths)
    }
}
