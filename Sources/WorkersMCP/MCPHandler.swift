import Foundation
import HTTPTypes
import Logging
public import MCP
public import WorkersRuntime

/// Serves a Model Context Protocol server over Streamable HTTP as a Worker fetch handler.
///
/// Each MCP session gets its own ``MCPServer``, made when a client sends `initialize` and kept under the
/// `MCP-Session-Id` the response carries; in ``SessionMode/stateless`` mode (several instances behind a load
/// balancer) each request gets its own server instead and no session is kept. The `setup` closure registers the
/// server's handlers, with swift-sdk's method types; it receives the session's ``MCPSession`` (its `props`, the
/// identity the dispatcher vouched for, and the `env`), so tools can act for the authenticated user.
///
/// ```swift
/// let mcp = MCPHandler(name: "demo", version: "1.0.0") { server, session in
///     let login = session.props?["login"]?.stringValue ?? "anonymous"
///     server.withMethodHandler(ListTools.self) { _ in
///         .init(tools: [Tool(name: "whoami", description: "Who am I?", inputSchema: ["type": "object"])])
///     }
///     server.withMethodHandler(CallTool.self) { _ in
///         .init(content: [.text(text: login, annotations: nil, _meta: nil)])
///     }
/// }
/// let provider = try OAuthProvider(apiHandlers: ["/mcp": mcp], defaultHandler: login, options: options)
/// ```
///
/// The handler owns the JSON-RPC framing (one message per POST; batches are refused), the lifecycle (`initialize`,
/// `ping`, cancellation) and the dispatch to the registered handlers, so a `tools/call` costs little more than the
/// tool itself (docs/architecture.md, "The MCP request path"). Sessions belong to whoever created them (the user,
/// client and resource of the access token, else the props): a request naming a session of another (another
/// user's token) is answered as if the session did not exist (404). A tool listed in
/// ``Configuration/toolScopes`` is called only with a token holding its scopes; otherwise `fetch` throws
/// ``WorkersRuntime/InsufficientScopeError``, which the guard in front answers `403 insufficient_scope` (step-up). A request id already in flight in the session is refused at once. Idle sessions expire, `DELETE` closes
/// a session, and the `Authorization` and `Cookie` headers never reach the handlers. Answers are event streams
/// (``ResponseMode/sse``) or single JSON responses (``ResponseMode/json``).
public struct MCPHandler: FetchHandling {
    /// Registers a session's handlers on its freshly made server.
    public typealias Setup = @Sendable (MCPServer, MCPSession) async throws -> Void
    /// Makes the server of a new session.
    public typealias MakeServer = @Sendable (MCPSession) async throws -> MCPServer

    /// The handler's settings.
    public let configuration: Configuration
    let store: MCPSessionStore
    let makeServer: MakeServer

    /// Creates a handler whose sessions each run a server with this name, version and capabilities.
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
            let server = MCPServer(name: name, version: version, title: title, instructions: instructions, capabilities: capabilities)
            try await setup(server, session)
            return server
        }
    }

    /// Creates a handler that asks `makeServer` for each new session's server.
    /// - Parameters:
    ///   - configuration: Session and transport settings.
    ///   - makeServer: Makes the server of a new session.
    public init(configuration: Configuration = Configuration(), makeServer: @escaping MakeServer) {
        self.configuration = configuration
        self.makeServer = makeServer
        self.store = MCPSessionStore(configuration: configuration, makeServer: makeServer)
    }

    public func fetch(_ request: WorkersRuntime.Request, env: Env, ctx: ExecutionContext) async throws -> WorkersRuntime.Response {
        let origin = request.header("Origin")
        if let origin, let allowed = configuration.allowedOrigins,
            !allowed.contains(where: { OriginPattern.matches(origin, pattern: $0) })
        {
            return MCPResponses.error(status: 403, .invalidRequest("Forbidden: Origin not allowed"))
        }
        let caller = MCPCaller(props: ctx.props, token: ctx.accessToken)
        var answer: WorkersRuntime.Response
        switch (configuration.sessionMode.kind, request.method) {
        case (.stateless, .post): answer = try await postStateless(request, caller: caller, env: env, logger: ctx.logger)
        case (.stateless, _):
            answer = MCPResponses.error(
                status: 405, .invalidRequest("Method Not Allowed: this server keeps no sessions (stateless mode)"),
                allow: "POST")
        case (.stateful, .post): answer = try await post(request, caller: caller, env: env, logger: ctx.logger)
        case (.stateful, .get): answer = await openStandaloneStream(request, owner: caller.owner)
        case (.stateful, .delete): answer = await delete(request, owner: caller.owner)
        case (.stateful, _):
            answer = MCPResponses.error(status: 405, .invalidRequest("Method Not Allowed"), allow: allowedMethods)
        }
        if origin != nil {
            // Browser clients read the session id and negotiated version from these headers (CORS hides them
            // otherwise; the OAuth provider adds its own CORS headers and keeps these names).
            answer.headers[.accessControlExposeHeaders] = "MCP-Session-Id, MCP-Protocol-Version"
        }
        return answer
    }

    /// The number of open sessions (expired ones not yet swept included).
    public var sessionCount: Int {
        get async { await store.count }
    }

    /// Closes every session: their event streams end and their requests in flight are cancelled (for shutdown).
    public func closeAllSessions() async {
        await store.closeAll()
    }

    var allowedMethods: String { configuration.responseMode == .json ? "POST, DELETE" : "GET, POST, DELETE" }
}
