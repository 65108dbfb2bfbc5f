public import Foundation

extension MCPHandler {
    /// How answers to JSON-RPC requests are sent.
    public struct ResponseMode: Sendable, Hashable {
        enum Kind: Hashable { case sse, json }
        let kind: Kind

        /// Each request's answer is a `text/event-stream` that carries the server's messages for it and ends with
        /// the response (the Streamable HTTP default; progress and server requests reach the client).
        public static let sse = ResponseMode(kind: .sse)
        /// Each request's answer is one `application/json` response (messages the server sends before the
        /// response, such as progress notifications, are dropped). Clients that cannot read event streams, like
        /// swift-sdk's `HTTPClientTransport` on Linux, need this mode.
        public static let json = ResponseMode(kind: .json)
    }

    /// Whether the handler keeps MCP sessions.
    public struct SessionMode: Sendable, Hashable {
        enum Kind: Hashable { case stateful, stateless }
        let kind: Kind

        /// Sessions (`MCP-Session-Id`) with one `Server` each, kept in this process's memory: every MCP feature
        /// (server-to-client requests, progress, the standalone event stream), but a session's requests must reach
        /// the process that opened it (one instance, or sticky routing).
        public static let stateful = SessionMode(kind: .stateful)
        /// No sessions: every POST is served by a `Server` made for that request alone (on swift-sdk's
        /// `StatelessHTTPServerTransport`) from the request's own props, and answered with one JSON response. Any
        /// instance can serve any request, so it works behind round-robin load balancing; what needs a session is
        /// not available (no `GET` event stream, no `DELETE`, no server-to-client requests, no progress
        /// notifications; the answer is JSON whatever ``ResponseMode`` says).
        public static let stateless = SessionMode(kind: .stateless)

        /// `"stateful"` or `"stateless"` (any case), as in the `MCP_SESSION_MODE` var; `nil` for anything else.
        public init?(_ name: String) {
            switch name.lowercased() {
            case "stateful": kind = .stateful
            case "stateless": kind = .stateless
            default: return nil
            }
        }

        private init(kind: Kind) { self.kind = kind }
    }

    /// Settings of an ``MCPHandler``.
    public struct Configuration: Sendable {
        /// Sessions in this process (``SessionMode/stateful``, the default) or none (``SessionMode/stateless``).
        public var sessionMode: SessionMode
        /// How answers to requests are sent.
        public var responseMode: ResponseMode
        /// How long a session may go without a request before it is closed (an open event stream does not count
        /// as use; clients reconnect or re-initialize).
        public var idleTimeout: Duration
        /// The most sessions kept at once; beyond it the least recently used session is closed.
        public var maxSessions: Int
        /// The most sessions one owner (the props of the request that opened them: one grant, one user) keeps at
        /// once; beyond it that owner's least recently used session is closed, so one client cannot evict other
        /// owners' sessions through the global cap. Sessions opened without props share only ``maxSessions``.
        public var maxSessionsPerGrant: Int
        /// Browser origins allowed to call the endpoint (`Origin` header), exact or with a `:*` port wildcard;
        /// requests without `Origin` (non-browser clients) always pass. `nil` allows every origin. The default
        /// allows loopback origins only, which stops DNS-rebinding attacks on a local server.
        public var allowedOrigins: [String]?
        /// The SSE `retry` interval, in milliseconds, sent in priming events.
        public var retryInterval: Int?
        /// How often an open event stream carries a `: keep-alive` comment (`nil`: never). Keeps proxies from
        /// timing the stream out and lets the server notice a client that went away.
        public var heartbeatInterval: Duration?
        /// The scopes each tool needs (tool name -> every scope it needs): a `tools/call` of one of them with a token
        /// lacking a scope is refused before the tool runs, with `403 insufficient_scope` naming its scopes (the
        /// guard in front answers; MCP clients then re-authorize for them: step-up). Tools not listed need none
        /// beyond the route's.
        public var toolScopes: [String: [String]]
        /// The clock used for session expiry.
        public var now: @Sendable () -> Date

        /// Creates settings.
        /// - Parameters:
        ///   - sessionMode: `.stateful` (default) or `.stateless`.
        ///   - responseMode: `.sse` (default) or `.json`.
        ///   - idleTimeout: Idle time after which a session closes; 30 minutes by default.
        ///   - maxSessions: Session cap; 1,000 by default.
        ///   - maxSessionsPerGrant: Session cap per owner (props); 16 by default.
        ///   - allowedOrigins: Allowed browser origins; loopback origins by default, `nil` for any.
        ///   - retryInterval: SSE retry hint in milliseconds.
        ///   - heartbeatInterval: Keep-alive comment interval on event streams; 25 seconds by default.
        ///   - toolScopes: The scopes each tool needs.
        ///   - now: The clock.
        public init(
            sessionMode: SessionMode = .stateful,
            responseMode: ResponseMode = .sse,
            idleTimeout: Duration = .seconds(30 * 60),
            maxSessions: Int = 1000,
            maxSessionsPerGrant: Int = 16,
            allowedOrigins: [String]? = Configuration.loopbackOrigins,
            retryInterval: Int? = nil,
            heartbeatInterval: Duration? = .seconds(25),
            toolScopes: [String: [String]] = [:],
            now: @escaping @Sendable () -> Date = { Date() }
        ) {
            self.toolScopes = toolScopes
            self.sessionMode = sessionMode
            self.responseMode = responseMode
            self.idleTimeout = idleTimeout
            self.maxSessions = max(1, maxSessions)
            self.maxSessionsPerGrant = max(1, maxSessionsPerGrant)
            self.allowedOrigins = allowedOrigins
            self.retryInterval = retryInterval
            self.heartbeatInterval = heartbeatInterval
            self.now = now
        }

        /// `http://localhost`, `http://127.0.0.1` and `http://[::1]`, any port.
        public static let loopbackOrigins = [
            "http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*",
            "http://localhost", "http://127.0.0.1", "http://[::1]",
        ]
    }
}
