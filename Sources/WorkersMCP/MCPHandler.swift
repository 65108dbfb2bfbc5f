import Foundation
import HTTPTypes
import Logging
public import MCP
public import WorkersRuntime

/// Serves a Model Context Protocol server over Streamable HTTP as a Worker fetch handler.
///
/// Each MCP session gets its own swift-sdk `Server`, made when a client sends `initialize` and kept under the
/// `MCP-Session-Id` the response carries; in ``SessionMode/stateless`` mode (several instances behind a load
/// balancer) each request gets its own `Server` instead and no session is kept. The `setup` closure registers the server's handlers; it receives the
/// session's ``MCPSession`` (its `props`, the identity the dispatcher vouched for, and the `env`), so tools can act
/// for the authenticated user.
///
/// ```swift
/// let mcp = MCPHandler(name: "demo", version: "1.0.0") { server, session in
///     let login = session.props?["login"]?.stringValue ?? "anonymous"
///     await server.withMethodHandler(ListTools.self) { _ in
///         .init(tools: [Tool(name: "whoami", description: "Who am I?", inputSchema: ["type": "object"])])
///     }
///     await server.withMethodHandler(CallTool.self) { _ in
///         .init(content: [.text(text: login, annotations: nil, _meta: nil)])
///     }
/// }
/// let provider = try OAuthProvider(apiHandlers: ["/mcp": mcp], defaultHandler: login, options: options)
/// ```
///
/// Sessions belong to the props that created them: a request naming a session with other props (another user's
/// token) is answered as if the session did not exist (404). Idle sessions expire, `DELETE` closes a session, and
/// the `Authorization` and `Cookie` headers are removed before a request reaches the MCP server, so tools never
/// see the client's credentials. Answers are event streams (``ResponseMode/sse``, streamed as
/// `ResponseBody.stream`) or single JSON responses (``ResponseMode/json``).
public struct MCPHandler: FetchHandling {
    /// Registers a session's handlers on its freshly made server.
    public typealias Setup = @Sendable (Server, MCPSession) async throws -> Void

    /// The handler's settings.
    public let configuration: Configuration
    let store: MCPSessionStore
    let stateless: MCPStatelessServer

    /// Creates a handler whose sessions each run a `Server` with this name, version and capabilities.
    /// - Parameters:
    ///   - name: The server name reported in `initialize`.
    ///   - version: The server version reported in `initialize`.
    ///   - title: A human-readable title.
    ///   - instructions: Instructions for the model, sent in `initialize`.
    ///   - capabilities: What the server offers; tools by default.
    ///   - configuration: Session and transport settings.
    ///   - setup: Registers the session's method handlers.
    public init(
        name: String,
        version: String,
        title: String? = nil,
        instructions: String? = nil,
        capabilities: Server.Capabilities = .init(tools: .init()),
        configuration: Configuration = Configuration(),
        setup: @escaping Setup
    ) {
        self.init(configuration: configuration) { session in
            let server = Server(
                name: name,
                version: version,
                title: title,
                instructions: instructions,
                capabilities: capabilities
            )
            try await setup(server, session)
            return server
        }
    }

    /// Creates a handler that asks `makeServer` for each new session's server (not yet started).
    /// - Parameters:
    ///   - configuration: Session and transport settings.
    ///   - makeServer: Makes the server of a new session.
    public init(
        configuration: Configuration = Configuration(),
        makeServer: @escaping @Sendable (MCPSession) async throws -> Server
    ) {
        self.configuration = configuration
        self.store = MCPSessionStore(configuration: configuration, makeServer: makeServer)
        self.stateless = MCPStatelessServer(makeServer: makeServer)
    }

    public func fetch(_ request: WorkersRuntime.Request, env: Env, ctx: ExecutionContext) async throws -> WorkersRuntime.Response {
        if let origin = request.header("Origin"), let allowed = configuration.allowedOrigins,
            !allowed.contains(where: { OriginPattern.matches(origin, pattern: $0) })
        {
            return await MCPHTTPBridge.response(
                for: .error(statusCode: 403, .invalidRequest("Forbidden: Origin not allowed")),
                mode: configuration.responseMode
            )
        }
        let mcpRequest = MCPHTTPBridge.mcpRequest(from: request)
        let response: MCP.HTTPResponse
        switch configuration.sessionMode.kind {
        case .stateful: response = await store.handle(mcpRequest, props: ctx.props, env: env, logger: ctx.logger)
        case .stateless: response = await stateless.handle(mcpRequest, props: ctx.props, env: env, logger: ctx.logger)
        }
        var answer = await MCPHTTPBridge.response(
            for: response,
            mode: configuration.sessionMode == .stateless ? .json : configuration.responseMode,
            heartbeat: configuration.heartbeatInterval,
            isStandalone: request.method == .get
        )
        if request.header("Origin") != nil {
            // Browser clients must be able to read the session id (CORS itself is the dispatcher's, e.g. the
            // OAuth provider's, which keeps these names when it adds its own).
            answer.headers[.accessControlExposeHeaders] = "MCP-Session-Id, MCP-Protocol-Version"
        }
        return answer
    }

    /// The number of open sessions (expired ones not yet swept included).
    public var sessionCount: Int {
        get async { await store.count }
    }

    /// Closes every session and stops its server (for shutdown).
    public func closeAllSessions() async {
        await store.closeAll()
    }
}
