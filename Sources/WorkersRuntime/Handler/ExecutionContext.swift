public import Logging

/// The per-invocation context of a handler: `ctx` in `fetch(request, env, ctx)`.
///
/// - `waitUntil` keeps work running after the response is sent; the server waits for it before shutting down.
/// - `props` carries the identity whoever dispatched to this handler vouched for (the OAuth provider puts the
///   decrypted grant props here), and `accessToken` what the access token that admitted the request says (client,
///   scopes), for ``requireScopes(_:)``.
public struct ExecutionContext: Sendable {
    /// The props set by the dispatcher, or `nil`.
    public var props: JSONValue?
    /// The access token that admitted the request (its client, scopes, user and resource), when an OAuth guard
    /// checked one; `nil` otherwise.
    public var accessToken: AccessTokenInfo?
    /// A logger for this invocation (carries the request id when the server made it).
    public var logger: Logger
    /// The set of `waitUntil` work this context adds to.
    public let backgroundTasks: BackgroundTasks

    /// Creates a context.
    /// - Parameters:
    ///   - props: The props the handler will see.
    ///   - logger: The invocation's logger.
    ///   - backgroundTasks: Where `waitUntil` work is tracked; a fresh set by default.
    public init(
        props: JSONValue? = nil,
        logger: Logger = Logger(label: "workers"),
        backgroundTasks: BackgroundTasks = BackgroundTasks()
    ) {
        self.props = props
        self.logger = logger
        self.backgroundTasks = backgroundTasks
    }

    /// Runs `work` after (or alongside) the response; failures are logged and never affect the response or other work.
    public func waitUntil(_ work: @escaping @Sendable () async throws -> Void) {
        backgroundTasks.add(work)
    }

    /// Decodes ``props`` as `T`.
    /// - Throws: ``ExecutionContextError/missingProps`` when there are none, or the decoding error.
    public func props<T: Decodable>(as type: T.Type = T.self) throws -> T {
        guard let props else { throw ExecutionContextError.missingProps }
        return try props.decode(as: T.self)
    }

    /// A copy of this context with other props (the same `waitUntil` set and logger).
    public func with(props: JSONValue?) -> ExecutionContext {
        var copy = self
        copy.props = props
        return copy
    }

    /// A copy of this context with other props and access token (the same `waitUntil` set and logger).
    public func with(props: JSONValue?, accessToken: AccessTokenInfo?) -> ExecutionContext {
        var copy = self
        copy.props = props
        copy.accessToken = accessToken
        return copy
    }

    /// Requires the request's access token to hold every scope of `scopes`, for one operation.
    /// - Parameter scopes: Every scope the operation needs.
    /// - Throws: ``InsufficientScopeError`` naming them when a scope is missing, or when no OAuth access token
    ///   admitted the request (a guard without scopes, such as a static bearer token, grants none); the guard in
    ///   front answers `403 insufficient_scope`.
    public func requireScopes(_ scopes: [String]) throws(InsufficientScopeError) {
        guard let accessToken, accessToken.hasScopes(scopes) else { throw InsufficientScopeError(requiredScopes: scopes) }
    }
}

/// Errors from ``ExecutionContext``.
public enum ExecutionContextError: Error, Sendable {
    /// The handler asked for props, but its dispatcher set none.
    case missingProps
}
