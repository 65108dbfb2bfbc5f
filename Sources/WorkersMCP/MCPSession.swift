public import Logging
public import WorkersRuntime

/// What an MCP session's server is made with: the identity that opened the session, and the environment.
/// (In stateless mode, what the one request's server is made with.)
///
/// `props` are the `ctx.props` of the `initialize` request: behind an `OAuthProvider`, the decrypted props of the
/// grant whose token the client used. Every later request of the session must come with the same props.
public struct MCPSession: Sendable {
    /// The `MCP-Session-Id`; in ``MCPHandler/SessionMode/stateless`` mode a random id of the one request.
    public let id: String
    /// The props of the request that opened the session.
    public let props: JSONValue?
    /// The Worker environment (vars, secrets, bindings, outbound `fetch`).
    public let env: Env
    /// A logger for the session.
    public let logger: Logger

    /// Creates a session description.
    public init(id: String, props: JSONValue?, env: Env, logger: Logger) {
        self.id = id
        self.props = props
        self.env = env
        self.logger = logger
    }

    /// Decodes ``props`` as `T`.
    /// - Throws: ``ExecutionContextError/missingProps`` when there are none, or the decoding error.
    public func props<T: Decodable>(as type: T.Type = T.self) throws -> T {
        guard let props else { throw ExecutionContextError.missingProps }
        return try props.decode(as: T.self)
    }
}
