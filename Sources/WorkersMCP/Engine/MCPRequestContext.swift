public import HTTPTypes
public import MCP
public import WorkersRuntime

/// What a method handler can know about the request it is serving, and how it reports progress: read it as
/// ``current`` inside a handler registered on ``MCPServer``.
///
/// ```swift
/// server.withMethodHandler(CallTool.self) { params in
///     let request = MCPRequestContext.current
///     request?.reportProgress(0.5, total: 1)
///     return .init(content: [.text(text: request?.header("X-Probe") ?? "", annotations: nil, _meta: nil)])
/// }
/// ```
public struct MCPRequestContext: Sendable {
    /// The context of the request whose handler is running (`nil` outside a handler).
    @TaskLocal public static var current: MCPRequestContext?

    /// The JSON-RPC id of the request.
    public let id: JSONRPCID
    /// The JSON-RPC method.
    public let method: String
    /// The session's `MCP-Session-Id` (a random id of the one request in stateless mode).
    public let sessionID: String
    /// The progress token the client sent in `params._meta`, if any.
    public let progressToken: ProgressToken?
    /// What the access token of this request says (client, scopes, user), when an OAuth guard admitted it: the
    /// request's own token, which may hold more scopes than the one that opened the session.
    public let accessToken: AccessTokenInfo?
    /// The props of this request (`ctx.props`): after the client re-authorized (a new grant of the same user and
    /// client, say with more scopes), the new grant's, while ``MCPSession/props`` stay those that opened the session.
    public let props: JSONValue?
    private let fields: HTTPFields
    private let stream: MCPEventSink?

    init(
        id: JSONRPCID, method: String, sessionID: String, params: Value?, fields: HTTPFields, caller: MCPCaller,
        stream: MCPEventSink?
    ) {
        self.id = id
        self.accessToken = caller.token
        self.props = caller.props
        self.method = method
        self.sessionID = sessionID
        self.fields = fields
        self.stream = stream
        switch params?.objectValue?["_meta"]?.objectValue?["progressToken"] {
        case .string(let token): progressToken = .string(token)
        case .int(let token): progressToken = .integer(token)
        default: progressToken = nil
        }
    }

    /// The HTTP header fields of the request, without `Authorization`, `Cookie` and `Proxy-Authorization`: the
    /// client's credentials stay with the dispatcher in front of the MCP server.
    public var headers: HTTPFields {
        var headers = fields
        for name in Self.withheld { headers[name] = nil }
        return headers
    }

    /// The value of header `name` (case-insensitive; `nil` for the withheld credential headers).
    public func header(_ name: String) -> String? {
        guard let name = HTTPField.Name(name), !Self.withheld.contains(name) else { return nil }
        return fields[name]
    }

    /// Sends a notification to the client on this request's event stream, before the response (``MCPHandler/ResponseMode/sse``);
    /// in JSON mode there is no stream and it is dropped.
    public func notify<N: MCP.Notification>(_ message: Message<N>) {
        guard let stream, let bytes = try? JSONRPCReply.notification(message) else { return }
        stream.send(bytes)
    }

    /// Reports progress as `notifications/progress`, when the client asked for it with a progress token.
    public func reportProgress(_ progress: Double, total: Double? = nil, message: String? = nil) {
        guard let progressToken else { return }
        notify(ProgressNotification.message(.init(progressToken: progressToken, progress: progress, total: total, message: message)))
    }

    static let withheld: [HTTPField.Name] = [.authorization, .cookie, .proxyAuthorization]
}
